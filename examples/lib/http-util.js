'use strict';
/*
 * Shared plumbing for the HTTP examples (not itself a leak).
 *
 * listen(server, selfLoad) binds the server to 127.0.0.1 on process.env.PORT (or a free port),
 * prints `listening on http://127.0.0.1:<port>/` to stdout and, unless NO_SELF_LOAD=1, starts a
 * loopback client that keeps sending requests so that running an example plainly exercises it.
 *
 * The self-load client keeps one request in flight (keep-alive agent, one socket) and pauses
 * `pauseMs` between requests, so the request rate is roughly 1000 / (pauseMs + ~1) per second.
 * It allocates only per-request garbage; nothing it does accumulates.
 */
const http = require('http');

// Requests the self-load has completed: harness/series.js can wait for a number of them
// (LEAKHOUND_SERIES_MIN_REQUESTS), so a snapshot holds the same work however busy the machine is.
let selfLoadCompleted = 0;
Object.defineProperty(globalThis, '__leakhoundSelfLoadCompleted', { get: () => selfLoadCompleted, configurable: true });

function listen(server, selfLoad = {}) {
  const port = Number(process.env.PORT || 0);
  server.listen(port, '127.0.0.1', () => {
    const actual = server.address().port;
    process.stdout.write(`listening on http://127.0.0.1:${actual}/\n`);
    if (process.env.NO_SELF_LOAD !== '1') {
      startSelfLoad(actual, selfLoad);
    }
  });
  return server;
}

/**
 * Sends requests to 127.0.0.1:port forever, one at a time.
 * options: method (default GET), path (string or function(seq) -> string),
 * body (function(seq) -> string | null), pauseMs (default 10).
 */
function startSelfLoad(port, options = {}) {
  const method = options.method || 'GET';
  const pauseMs = options.pauseMs === undefined ? 10 : options.pauseMs;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let seq = 0;
  let reportedError = false;

  function next() {
    seq++;
    const path = typeof options.path === 'function' ? options.path(seq) : (options.path || '/');
    const body = options.body ? options.body(seq) : null;
    const headers = { 'user-agent': 'self-load/1.0', 'x-request-seq': String(seq) };
    if (body !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        selfLoadCompleted++;
        setTimeout(next, pauseMs);
      });
    });
    req.on('error', (err) => {
      if (!reportedError) {
        reportedError = true;
        process.stderr.write(`self-load: ${err.message}\n`);
      }
      setTimeout(next, 100);
    });
    req.end(body === null ? undefined : body);
  }
  next();
}

/** Reads a request body into one Buffer. */
function readBody(req, callback) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => callback(Buffer.concat(chunks)));
}

module.exports = { listen, startSelfLoad, readBody };
