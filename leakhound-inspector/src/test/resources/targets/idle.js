// Test target: optionally fills the heap with about --heap-mb MB of objects, prints "ready", then idles.
const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--heap-mb') + 1] || 0);
const keep = globalThis.keptForTest = []; // on globalThis: a module-level const nothing else uses would be collected
while (mb > 0 && process.memoryUsage().heapUsed < mb * 1024 * 1024) {
  for (let i = 0; i < 1000; i++) keep.push({ id: keep.length, name: 'item-' + keep.length, tags: ['a', 'b'] });
}
globalThis.secretForTest = JSON.parse(JSON.stringify('leakhound-test-' + process.pid)); // a flat string: it appears verbatim in snapshots
setInterval(() => {}, 1000);
console.error('stderr-hello from ' + process.pid);
console.log('ready ' + process.pid);
