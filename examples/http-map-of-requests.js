'use strict';
/*
 * http-map-of-requests.js: HTTP server that tracks in-flight requests in a Map and never forgets them.
 *
 * What it is: a JSON API (POST /orders) that stores each request in `requests` (a Map keyed by a
 * request id) so that a status endpoint could list what is in flight.
 * What leaks: entries are added with `requests.set(id, new PendingRequest(...))` but the
 * `requests.delete(id)` that should run when the response finishes was never written. Every
 * PendingRequest keeps the request headers, the parsed JSON body (heap) and the raw body Buffer
 * (external memory, ~2 KB) alive. With the built-in self-load (~90 requests/s) the heap grows by
 * about 12-15 MB/min plus 6-8 MB/min of external (Buffer) memory (measured; see README.md).
 * The fix: `res.on('close', () => requests.delete(id))`, or do not keep the body at all.
 *
 * Run: node examples/http-map-of-requests.js   (PORT=<n>, NO_SELF_LOAD=1 for external load)
 */
const http = require('http');
const { listen, readBody } = require('./lib/http-util');

class PendingRequest {
  constructor(id, req, body) {
    this.id = id;
    this.method = req.method;
    this.url = req.url;
    this.headers = Object.assign({}, req.headers);
    this.startedAt = Date.now();
    this.body = body;                     // raw request body (Buffer, external memory)
    this.order = body.length ? JSON.parse(body.toString('utf8')) : null;
  }
}

const requests = new Map();
let nextId = 1;

const server = http.createServer((req, res) => {
  const id = nextId++;
  readBody(req, (body) => {
    let pending;
    try {
      pending = new PendingRequest(id, req, body); // leak:allocates
    } catch (err) {
      res.statusCode = 400;
      res.end('bad json\n');
      return;
    }
    requests.set(id, pending); // BUG: nothing ever calls requests.delete(id)
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, inFlight: requests.size }));
  });
});

function orderBody(seq) {
  const lines = [];
  for (let i = 0; i < 12; i++) {
    lines.push({ sku: `SKU-${seq}-${i}`, qty: (seq + i) % 7 + 1, note: `line ${i} of order ${seq}` });
  }
  return JSON.stringify({ customer: `customer-${seq % 5000}`, seq, lines, comment: 'x'.repeat(600) });
}

listen(server, { method: 'POST', path: '/orders', body: orderBody, pauseMs: 10 });
