// Target for bench/capture/pauses.sh: holds about 200,000 small objects, and measures the largest gap
// between the ticks of a 1 ms timer, i.e. the longest time its event loop was held. On SIGUSR2 it prints
// "max-gap-ms N" (the largest gap since the previous SIGUSR2) and starts again.
'use strict';
const keep = [];
for (let i = 0; i < 200000; i++) keep.push({ i, s: 'k' + i });
globalThis.__keep = keep;
let last = process.hrtime.bigint();
let max = 0n;
setInterval(() => {
  const now = process.hrtime.bigint();
  if (now - last > max) max = now - last;
  last = now;
}, 1);
process.on('SIGUSR2', () => {
  console.log('max-gap-ms ' + (Number(max) / 1e6).toFixed(1));
  max = 0n;
});
console.log('ready');
