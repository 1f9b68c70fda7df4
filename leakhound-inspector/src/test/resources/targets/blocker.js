// Test target: runs normally, then blocks its main thread in native code for --block-ms (default 3000)
// after --after-ms (default 1000), like a long synchronous I/O call. (A JavaScript busy loop or
// Atomics.wait would not do: V8 services inspector messages during those.)
const { execFileSync } = require('child_process');
const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
setInterval(() => {}, 100);
setTimeout(() => { execFileSync('sleep', [String(opt('--block-ms', 3000) / 1000)]); }, opt('--after-ms', 1000));
console.log('ready ' + process.pid);
