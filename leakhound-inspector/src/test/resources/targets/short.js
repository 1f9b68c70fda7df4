// Test target: keeps busy for --ms milliseconds (default 1500), then ends by itself.
const args = process.argv.slice(2);
const ms = Number(args[args.indexOf('--ms') + 1] || 1500);
const t = setInterval(() => {}, 50);
setTimeout(() => clearInterval(t), ms);
console.log('ready ' + process.pid);
