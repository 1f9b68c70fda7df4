'use strict';
/*
 * workers/pricing-worker.js: the worker thread of worker-pricing-server.js (not run on its own).
 *
 * Prices each order it receives and posts the total back. What leaks: every order is also kept in
 * `pricedOrders`, a module-level array nothing reads or trims (BUG), as a PricedOrder.
 */
const { parentPort } = require('worker_threads');

class PricedOrder {
  constructor(id, order, total) {
    this.id = id;
    this.customer = order.customer;
    this.lines = order.lines;
    this.comment = order.comment;
    this.total = total;
    this.pricedAt = Date.now();
  }
}

const pricedOrders = []; // BUG: "kept for a later audit" that never happens; grows with every request

parentPort.on('message', ({ id, order }) => {
  let total = 0;
  for (const line of order.lines || []) {
    total += line.qty * line.price;
  }
  pricedOrders.push(new PricedOrder(id, order, total));
  parentPort.postMessage({ id, total });
});
