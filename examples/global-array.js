'use strict';
/*
 * global-array.js: HTTP server that remembers every request in a global array.
 *
 * What it is: a tiny HTTP API (GET /items/<n>) that, "for debugging", appends a RequestRecord for
 * each request to `global.leakArray`.
 * What leaks: `global.leakArray` is pushed on every request and never trimmed, so every
 * RequestRecord (method, url, a copy of the headers and a ~1 KB note string) stays reachable from
 * the global object forever. With the built-in self-load (~90 requests/s) the heap grows by
 * about 7 MB/min (measured; see README.md).
 * The fix: do not keep per-request data in a global; log it and drop it, or keep a bounded ring
 * buffer (e.g. the last 1000 records: `if (leakArray.length > 1000) leakArray.shift()`).
 *
 * Run: node examples/global-array.js   (PORT=<n> to pick a port, NO_SELF_LOAD=1 for external load)
 */
const http = require('http');
const { listen } = require('./lib/http-util');

class RequestRecord {
  constructor(id, req) {
    this.id = id;
    this.method = req.method;
    this.url = req.url;
    this.headers = Object.assign({}, req.headers);
    this.receivedAt = Date.now();
    // A per-request note, e.g. a rendered debug line; unique content, ~1 KB.
    this.note = Buffer.alloc(1024, `${id}:${req.url}|`).toString('latin1');
  }
}

global.leakArray = [];
let nextId = 1;

const server = http.createServer((req, res) => {
  const record = new RequestRecord(nextId++, req); // leak:allocates
  global.leakArray.push(record); // BUG: never removed
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: record.id, seen: global.leakArray.length }));
  });
});

listen(server, { path: (seq) => `/items/${seq}`, pauseMs: 10 });
