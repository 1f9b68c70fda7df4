'use strict';
/*
 * harness/measure.js: preload that samples process.memoryUsage() after forced GCs.
 *
 *   node --expose-gc -r ./examples/harness/measure.js examples/global-array.js
 *
 * Every LEAKHOUND_MEASURE_EVERY_MS (default 2000) it calls global.gc() twice and records
 * heapUsed, external, arrayBuffers and rss. After LEAKHOUND_MEASURE_MS (default 22000) it writes
 * one JSON line {samples:[{t,heapUsed,external,arrayBuffers,rss}...]} to the file named by
 * LEAKHOUND_MEASURE_OUT (or to stderr) and exits 0. Requires --expose-gc.
 */
const fs = require('fs');

if (typeof global.gc !== 'function') {
  process.stderr.write('measure: run node with --expose-gc\n');
  process.exit(2);
}

const everyMs = Number(process.env.LEAKHOUND_MEASURE_EVERY_MS || 2000);
const totalMs = Number(process.env.LEAKHOUND_MEASURE_MS || 22000);
const out = process.env.LEAKHOUND_MEASURE_OUT;
const start = Date.now();
const samples = [];

function sample() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  samples.push({
    t: Date.now() - start,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
  });
  if (Date.now() - start >= totalMs) {
    const line = JSON.stringify({ samples }) + '\n';
    if (out) fs.writeFileSync(out, line);
    else process.stderr.write(line);
    process.exit(0);
  }
  setTimeout(sample, everyMs);
}

setTimeout(sample, everyMs);
