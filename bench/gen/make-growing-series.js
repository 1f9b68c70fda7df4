#!/usr/bin/env node
'use strict';
/*
 * Writes three heap snapshots of ONE process whose heap grows between them, for find-leaks benchmarks
 * (baseline / target / final, as memlab's find-leaks and leakhound's find-leaks take them).
 *
 *   node --max-old-space-size=8192 bench/gen/make-growing-series.js --out-dir bench/work
 *     -> series-1.heapsnapshot, series-2.heapsnapshot, series-3.heapsnapshot
 *
 * The process:
 *  - a large stable base of server state (heap-lib.js units: users, sessions with closures, orders,
 *    caches, Buffers) sized so that snapshot 1 is about --base-mb MiB;
 *  - the leak: every handled request is registered as a `PendingRequest` (headers object, socket
 *    info, a completion closure, sometimes a body) in the global Map `pendingRequests`, and the
 *    completion path never deletes it, so between snapshots it grows by about --step-mb MiB;
 *  - churn that is not a leak: after each snapshot, 5,000 in-flight `RequestScratch` objects are
 *    allocated and kept until after the next snapshot (so they appear in exactly one snapshot), and
 *    about 2% of sessions are evicted and replaced by new ones.
 * Options: --base-mb (default 520), --step-mb (default 120), --seed, --out-dir, --prefix (default
 * series). Prints one JSON line per snapshot (sections.js figures plus the PendingRequest count).
 */
const path = require('path');
const lib = require('./heap-lib');
const { scan } = require('./sections');

class PendingRequest {
  constructor(id, r) {
    this.id = id;
    this.method = r() < 0.7 ? 'GET' : 'POST';
    this.url = lib.pick(r, ['/api/orders/', '/api/users/', '/api/search?q=', '/api/cart/']) + Math.floor(r() * 1e9).toString(36);
    this.headers = {
      host: 'shop.example.com',
      'user-agent': r() < 0.5 ? 'Mozilla/5.0 (X11; Linux x86_64)' : 'okhttp/4.9.3',
      accept: 'application/json',
      'x-request-id': lib.hex(r, 20),
    };
    this.socket = { remoteAddress: `10.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`, remotePort: 1024 + Math.floor(r() * 60000) };
    this.startedAt = Date.now();
    if (this.method === 'POST') this.body = `{"cart":"${lib.hex(r, 12)}","qty":${1 + Math.floor(r() * 9)}}`;
    this.onDone = makeCompletion(this);
  }
}

class RequestScratch {
  constructor(id, r) {
    this.id = id;
    this.parsed = { path: '/api/items/' + id, query: { page: Math.floor(r() * 10) } };
    this.chunks = [lib.hex(r, 40), lib.hex(r, 40)];
  }
}

const pendingRequests = new Map();
globalThis.pendingRequests = pendingRequests;
let nextRequestId = 1;

/* The bug being modelled: the completion handler records the duration but never removes the entry
   from pendingRequests. */
function makeCompletion(req) {
  let finished = false;
  return function onResponseFinished(status) {
    finished = true;
    req.status = status;
    req.durationMs = Date.now() - req.startedAt;
    return finished;
  };
}

function addLeak(app, r) {
  const id = nextRequestId++;
  pendingRequests.set(id, new PendingRequest(id, r));
}

/* Requests in flight at snapshot time: allocated after one snapshot, released before the next,
   so they show up in exactly one snapshot (memlab's target-only objects that are not leaks). */
function churn(app, r, log) {
  const released = app.inFlight ? app.inFlight.size : 0;
  app.inFlight = new Map();
  for (let i = 0; i < 5000; i++) app.inFlight.set(i, new RequestScratch(i, r));
  const evict = Math.floor(app.sessions.size * 0.02);
  let n = 0;
  for (const [token, session] of app.sessions) {
    if (n++ >= evict) break;
    app.sessions.delete(token);
    app.users.delete(session.user.id);
  }
  for (let i = 0; i < evict; i++) lib.buildUnit(app, r);
  log(`churn: released ${released} and allocated 5,000 in-flight RequestScratch, replaced ${evict} sessions`);
}

async function main() {
  const args = lib.parseArgs(process.argv.slice(2),
    { 'base-mb': '520', 'step-mb': '120', seed: '7', 'out-dir': '', prefix: 'series' });
  const base = Number(args['base-mb']) * 1048576;
  const step = Number(args['step-mb']) * 1048576;
  if (!args['out-dir'] || !(base > 0) || !(step > 0)) {
    console.error('usage: make-growing-series.js --out-dir DIR [--base-mb N] [--step-mb N] [--seed N] [--prefix P]');
    process.exit(2);
  }
  const t0 = Date.now();
  const log = (m) => console.error(`[make-growing-series ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);
  const r = lib.mulberry32(Number(args.seed));
  const app = lib.createApp();
  globalThis.__benchApp = app;

  /* The process has been leaking for a while already when snapshot 1 is taken. */
  for (let i = 0; i < 20000; i++) addLeak(app, r);
  await lib.growToSnapshotBytes(app, r, base, log);
  let prevBytes = 0;
  for (let k = 1; k <= 3; k++) {
    if (k > 1) {
      churn(app, r, log);
      await lib.growToSnapshotBytes(app, r, prevBytes + step, log, addLeak, 1100);
    }
    const file = path.join(args['out-dir'], `${args.prefix}-${k}.heapsnapshot`);
    log(`writing ${file} (${pendingRequests.size} PendingRequest)`);
    lib.writeSnapshot(file);
    const res = scan(file);
    prevBytes = res.bytes;
    log(`wrote ${lib.mb(res.bytes)}, ${res.nodeCount} nodes`);
    console.log(JSON.stringify({ ...res, pendingRequests: pendingRequests.size, seconds: (Date.now() - t0) / 1000 }));
  }
}

main().catch((e) => {
  console.error(`make-growing-series: ${e.message}`);
  process.exit(1);
});
