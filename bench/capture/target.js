// Benchmark target for bench/capture/run.sh: fills the V8 heap with about HEAP_MB MB of live objects
// (objects, arrays, unique strings, closures: the mix of a typical service heap), then either idles for
// leakhound to capture it over the inspector (default), or, with --write FILE, times the in-process
// v8.writeHeapSnapshot(FILE) and prints {"write_ms":..,"bytes":..,"heap_used":..,"rss_kb":..,"hwm_kb":..} on
// stdout: rss_kb is VmRSS just before the write, hwm_kb the peak RSS (VmHWM) during it, after resetting the
// peak with /proc/self/clear_refs (Linux).
'use strict';
const v8 = require('v8');
const fs = require('fs');

const args = process.argv.slice(2);
const heapMb = Number(args[args.indexOf('--heap-mb') + 1] || 25);
const writeTo = args.includes('--write') ? args[args.indexOf('--write') + 1] : null;
// --mix: what fills the heap. objects (default): a service-like mix of many small objects; concat: unique
// 4 KB strings built with padEnd, which V8 keeps as trees of concatenated parts (~125 snapshot nodes each);
// flat: the same strings flattened (one node each), i.e. few large objects
const mix = args.includes('--mix') ? args[args.indexOf('--mix') + 1] : 'objects';

class Session { constructor(id, user) { this.id = id; this.user = user; this.items = []; this.onClose = () => this.id; } }
const sessions = new Map();
let n = 0;
const big = [];
while ((mix === 'concat' || mix === 'flat') && process.memoryUsage().heapUsed < heapMb * 1024 * 1024) {
  for (let k = 0; k < 100; k++, n++) {
    const s = (n + ':').padEnd(4096, String.fromCharCode(97 + (n % 26)));
    big.push(mix === 'flat' ? JSON.parse(JSON.stringify(s)) : s);
  }
}
global.__big = big;
while (mix === 'objects' && process.memoryUsage().heapUsed < heapMb * 1024 * 1024) {
  for (let k = 0; k < 1000; k++, n++) {
    const s = new Session(n, { name: 'user-' + n, email: 'u' + n + '@example.com', roles: ['a', 'b'] });
    s.items.push({ sku: 'sku-' + (n % 977), qty: n % 7, price: n * 0.01 });
    sessions.set(n, s);
  }
}
global.__bench = sessions;

// VmRSS or VmHWM of this process in kB, or -1 when /proc is not there
function status(field) {
  try {
    const m = fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp('^' + field + ':\\s*(\\d+) kB', 'm'));
    return m ? Number(m[1]) : -1;
  } catch (e) {
    return -1;
  }
}

if (writeTo) {
  global.gc && global.gc();
  const used = process.memoryUsage().heapUsed;
  try { fs.writeFileSync('/proc/self/clear_refs', '5'); } catch (e) { /* peak not reset: hwm_kb is since start */ }
  const rss = status('VmRSS');
  const t0 = process.hrtime.bigint();
  v8.writeHeapSnapshot(writeTo);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ write_ms: Math.round(ms), bytes: fs.statSync(writeTo).size, heap_used: used,
    rss_kb: rss, hwm_kb: status('VmHWM') }));
} else {
  console.log(JSON.stringify({ ready: true, pid: process.pid, heap_used: process.memoryUsage().heapUsed, objects: n }));
  setInterval(() => {}, 1000);
}
