'use strict';
/*
 * healthy-http-server.js: busy but healthy: an HTTP server that keeps no per-request state.
 *
 * What it is: the same API shape as http-map-of-requests.js (POST /orders with a ~2 KB JSON body);
 * it parses the body, computes a total and answers.
 * Why it does not leak: per-request objects (the body Buffer, the parsed order) are dropped when the
 * response is sent. The only long-lived state is a request counter and `recentLatencies`, a ring of
 * the last 100 latencies that is overwritten in place.
 *
 * Run: node examples/healthy-http-server.js   (PORT=<n>, NO_SELF_LOAD=1 for external load)
 */
const http = require('http');
const { listen, readBody } = require('./lib/http-util');

const recentLatencies = new Array(100).fill(0);
let handled = 0;

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  readBody(req, (body) => {
    let total = 0;
    try {
      const order = body.length ? JSON.parse(body.toString('utf8')) : { lines: [] };
      for (const line of order.lines || []) total += Number(line.qty) || 0;
    } catch (err) {
      res.statusCode = 400;
      res.end('bad json\n');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ total, handled: ++handled }));
    recentLatencies[handled % recentLatencies.length] = Number(process.hrtime.bigint() - started);
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
