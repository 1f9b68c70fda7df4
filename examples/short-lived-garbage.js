'use strict';
/*
 * short-lived-garbage.js: busy but healthy: lots of short-lived garbage.
 *
 * What it is: every 10 ms it builds a report of 1000 TempRow objects, serializes it to JSON
 * (~60 KB), parses it back, sums a column and throws everything away; only a running total and a
 * counter survive.
 * Why it does not leak: nothing allocated in a tick is reachable after the tick, so the young
 * generation (scavenger) reclaims it. The allocation rate is high (several MB/s), so heapUsed
 * sampled without a GC jumps around, but after a forced GC it is flat.
 *
 * Run: node examples/short-lived-garbage.js
 */

class TempRow {
  constructor(i, tick) {
    this.i = i;
    this.label = `row-${tick}-${i}`;
    this.value = (i * 31 + tick) % 1000;
  }
}

let total = 0;
let tick = 0;

setInterval(() => {
  tick++;
  const rows = [];
  for (let i = 0; i < 1000; i++) rows.push(new TempRow(i, tick));
  const text = JSON.stringify({ tick, rows });
  const parsed = JSON.parse(text);
  let sum = 0;
  for (const row of parsed.rows) sum += row.value;
  total = (total + sum) % 1000000007;
}, 10);
