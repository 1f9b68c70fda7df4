'use strict';
/*
 * workers/worker-pricing-server.js: HTTP server that hands every request to a worker thread, whose
 * module-level array keeps every job it was given.
 *
 * What it is: a JSON API (POST /quote) whose main thread only parses HTTP and forwards the order to a
 * pricing worker (`pricing-worker.js`, a worker_threads Worker) with postMessage; the worker prices it
 * and posts the total back, and the main thread answers the request.
 * What leaks: the worker, not the main thread. It keeps every order it priced in `pricedOrders`, a
 * module-level array "for a later audit" that nothing reads or trims: each PricedOrder holds the
 * order's lines and a ~600-character comment. With the built-in self-load the worker's heap grew by
 * 8-9 MB/min (heap used, read with `leakhound workers` a minute apart, Node 20); the main thread keeps
 * nothing (its `pending` Map only holds the QuoteRequests in flight). A snapshot of the main thread
 * cannot see this leak: take the worker's
 * (`leakhound snapshot --worker 1`, `leakhound hunt --worker 1`).
 * The fix: drop `pricedOrders`, or bound it.
 *
 * Run: node examples/workers/worker-pricing-server.js   (PORT=<n>, NO_SELF_LOAD=1 for external load,
 *      PRICING_WORKER=<file> for another worker script, e.g. stateless-pricing-worker.js)
 */
const http = require('http');
const path = require('path');
const { Worker } = require('worker_threads');
const { listen, readBody } = require('../lib/http-util');

const workerFile = path.join(__dirname, process.env.PRICING_WORKER || 'pricing-worker.js');
const worker = new Worker(workerFile);
worker.unref();

// a request waiting for the worker's answer (main thread only)
class QuoteRequest {
  constructor(res, customer) {
    this.res = res;
    this.customer = customer;
    this.startedAt = Date.now();
  }
}

// requests waiting for the worker's answer; each is deleted when answered
const pending = new Map();
let nextId = 1;

worker.on('message', (msg) => {
  const quote = pending.get(msg.id);
  if (!quote) {
    return;
  }
  pending.delete(msg.id);
  const res = quote.res;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id: msg.id, total: msg.total }));
});
worker.on('error', (err) => {
  process.stderr.write(`pricing worker failed: ${err.message}\n`);
  process.exit(1);
});

const server = http.createServer((req, res) => {
  const id = nextId++;
  readBody(req, (body) => {
    let order;
    try {
      order = body.length ? JSON.parse(body.toString('utf8')) : { lines: [] };
    } catch (err) {
      res.statusCode = 400;
      res.end('bad json\n');
      return;
    }
    pending.set(id, new QuoteRequest(res, order.customer));
    worker.postMessage({ id, order });
  });
});

function orderBody(seq) {
  const lines = [];
  for (let i = 0; i < 12; i++) {
    lines.push({ sku: `SKU-${seq}-${i}`, qty: (seq + i) % 7 + 1, price: 1 + ((seq * 7 + i) % 90) });
  }
  return JSON.stringify({ customer: `customer-${seq % 5000}`, seq, lines, comment: 'x'.repeat(600) });
}

listen(server, { method: 'POST', path: '/quote', body: orderBody, pauseMs: 10 });
