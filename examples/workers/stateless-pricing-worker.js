'use strict';
/*
 * workers/stateless-pricing-worker.js: a healthy worker for worker-pricing-server.js
 * (PRICING_WORKER=stateless-pricing-worker.js). Prices each order and keeps nothing but a fixed ring
 * of the last 100 totals: its heap stays flat under load.
 */
const { parentPort } = require('worker_threads');

const recentTotals = new Array(100).fill(0);
let next = 0;

parentPort.on('message', ({ id, order }) => {
  let total = 0;
  for (const line of order.lines || []) {
    total += line.qty * line.price;
  }
  recentTotals[next] = total;
  next = (next + 1) % recentTotals.length;
  parentPort.postMessage({ id, total });
});
