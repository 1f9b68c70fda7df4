'use strict';
/*
 * Shared helpers for the benchmark snapshot generators.
 *
 * buildUnit() adds one "unit" of server-like state to the application object: a user, a session with
 * closures (each with its own Context), per-session Maps, orders with item arrays, cache entries,
 * unique and repeated strings, numbers and now and then a Buffer. Everything is driven by a seeded
 * PRNG so a given seed and size always give the same heap shape.
 *
 * growToSnapshotBytes() sizes the heap for a target snapshot file size: it streams snapshots of the
 * current heap (counting bytes, writing nothing) between rounds of added units and extrapolates the
 * number of units still needed from the measured bytes per unit.
 */
const v8 = require('v8');
const fs = require('fs');

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['ada', 'alan', 'grace', 'linus', 'ken', 'dennis', 'barbara', 'edsger', 'donald', 'margaret',
  'john', 'frances', 'tim', 'radia', 'bjarne', 'guido', 'james', 'anders', 'brendan', 'yukihiro'];
const LAST = ['lovelace', 'turing', 'hopper', 'torvalds', 'thompson', 'ritchie', 'liskov', 'dijkstra', 'knuth',
  'hamilton', 'mccarthy', 'allen', 'berners-lee', 'perlman', 'stroustrup', 'van-rossum', 'gosling',
  'hejlsberg', 'eich', 'matsumoto'];
const ROLES = ['admin', 'editor', 'viewer', 'billing', 'support', 'auditor'];
const ROUTES = ['/api/users', '/api/orders', '/api/cart', '/api/search', '/api/items', '/api/login',
  '/api/logout', '/api/profile', '/api/settings', '/api/reports'];
const SKUS = [];
for (let i = 0; i < 500; i++) SKUS.push('SKU-' + (100000 + i * 37));
const LANGS = ['en', 'fr', 'de', 'ja', 'pt', 'es'];
const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'refunded'];

function hex(r, len) {
  let s = '';
  while (s.length < len) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, len);
}

function pick(r, arr) {
  return arr[Math.floor(r() * arr.length)];
}

class User {
  constructor(id, r) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    this.id = id;
    this.name = first + ' ' + last;
    this.email = `${first}.${last}.${id}@example.com`;
    this.roles = [pick(r, ROLES)];
    if (r() < 0.3) this.roles.push(pick(r, ROLES));
    this.prefs = { theme: r() < 0.5 ? 'dark' : 'light', lang: pick(r, LANGS), pageSize: 10 + Math.floor(r() * 90) };
    this.createdAt = new Date(1600000000000 + Math.floor(r() * 1e11));
    this.score = r() * 1000;
    this.tags = [];
    for (let i = 0, n = 3 + Math.floor(r() * 8); i < n; i++) this.tags.push('t' + Math.floor(r() * 1e8).toString(36));
  }
}

class Session {
  constructor(user, r) {
    this.user = user;
    this.token = hex(r, 32);
    this.attrs = new Map();
    this.history = [];
    this.lastSeen = Date.now() - Math.floor(r() * 1e6);
    this.handlers = {};
  }
}

class OrderItem {
  constructor(r) {
    this.sku = pick(r, SKUS);
    this.qty = 1 + Math.floor(r() * 5);
    this.price = Math.round(r() * 10000) / 100;
  }
}

class Order {
  constructor(id, user, r) {
    this.id = id;
    this.userId = user.id;
    const n = 1 + Math.floor(r() * 4);
    this.items = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const item = new OrderItem(r);
      total += item.qty * item.price;
      this.items.push(item);
    }
    this.total = total;
    this.status = pick(r, STATUSES);
    this.meta = { source: r() < 0.5 ? 'web' : 'mobile', coupon: r() < 0.1 ? 'SAVE' + Math.floor(r() * 100) : null };
  }
}

class CacheEntry {
  constructor(key, value, r) {
    this.key = key;
    this.value = value;
    this.expiresAt = Date.now() + Math.floor(r() * 3600000);
    this.hits = 0;
  }
}

/* A closure per route and session: each call of makeHandler allocates a Context holding
   session/route/calls/started plus the JSFunction itself. */
function makeHandler(session, route) {
  let calls = 0;
  const started = Date.now();
  return function handle(req) {
    calls++;
    return route + session.token + calls + started + req;
  };
}

function makeTimer(session, ms) {
  const deadline = session.lastSeen + ms;
  return () => Date.now() > deadline;
}

function createApp() {
  return {
    users: new Map(),
    sessions: new Map(),
    orders: [],
    cache: new Map(),
    logs: [],
    buffers: [],
    stats: { requests: 0, bytes: 0 },
    nextId: 1,
    units: 0,
  };
}

/* One unit of server state. Roughly 60 snapshot nodes; about 5% of units add a Buffer. */
function buildUnit(app, r) {
  const id = app.nextId++;
  const user = new User(id, r);
  app.users.set(id, user);

  const session = new Session(user, r);
  const nroutes = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nroutes; i++) {
    const route = pick(r, ROUTES);
    session.handlers[route] = makeHandler(session, route);
  }
  session.expired = makeTimer(session, 600000);
  session.attrs.set('ip', `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`);
  session.attrs.set('agent', r() < 0.5 ? 'Mozilla/5.0 (X11; Linux x86_64)' : 'okhttp/4.9.3');
  if (r() < 0.5) session.attrs.set('csrf', hex(r, 24));
  for (let i = 0, n = Math.floor(r() * 5); i < n; i++) session.history.push(Math.floor(r() * 1e9).toString(36));
  app.sessions.set(session.token, session);

  const norders = Math.floor(r() * 3);
  for (let i = 0; i < norders; i++) {
    const order = new Order(id * 4 + i, user, r);
    if (r() < 0.08) order.raw = JSON.stringify(order);
    app.orders.push(order);
  }

  if (r() < 0.6) {
    const key = 'user:' + id + ':profile';
    app.cache.set(key, new CacheEntry(key, { name: user.name, email: user.email, roles: user.roles.slice() }, r));
  }

  if (r() < 0.3) {
    app.logs.push(`${new Date(user.createdAt).toISOString()} INFO ${pick(r, ROUTES)} user=${id} took=${Math.floor(r() * 500)}ms`);
  }

  if (r() < 0.05) {
    const buf = r() < 0.5 ? Buffer.alloc(512 + Math.floor(r() * 4096)) : Buffer.from(hex(r, 64));
    buf.write(session.token, 0);
    app.buffers.push(buf);
  }
  app.stats.requests++;
  app.units++;
}

/* Streams a snapshot of the current heap and returns its size in bytes (nothing is written). */
function measureSnapshotBytes() {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const s = v8.getHeapSnapshot();
    s.on('data', (c) => { bytes += c.length; });
    s.on('end', () => resolve(bytes));
    s.on('error', reject);
  });
}

/*
 * Adds units until a snapshot of this process is about targetBytes, in three rounds: add units for
 * 10% of the gap at the guessed bytes/unit and measure (calibration), add units for 85% of the
 * remaining gap at the calibrated rate and measure again (bytes per unit creep up as ids and node
 * indexes gain digits, and small samples are noisy), then fill the rest at the latest rate.
 */
async function growToSnapshotBytes(app, r, targetBytes, log, addUnit = buildUnit, guessPerUnit = 4500) {
  let at = await measureSnapshotBytes();
  let perUnit = guessPerUnit;
  let units = 0;
  for (const frac of [0.1, 0.85, 1]) {
    if (at >= targetBytes) break;
    const n = Math.max(frac === 0.1 ? 1000 : 0, Math.floor((targetBytes - at) * frac / perUnit));
    for (let i = 0; i < n; i++) addUnit(app, r);
    units += n;
    log(`added ${n} units at ~${perUnit.toFixed(0)} snapshot bytes/unit (from ${mb(at)})`);
    if (frac === 1) break;
    const now = await measureSnapshotBytes();
    const rate = (now - at) / n;
    if (rate > guessPerUnit / 10) perUnit = rate; // otherwise noise dominated; keep the previous rate
    at = now;
  }
  return { perUnit, units };
}

/* Writes a snapshot owner-only (0600) and returns {file, bytes, nodeCount, edgeCount}. */
function writeSnapshot(file) {
  const tmp = file + '.tmp';
  v8.writeHeapSnapshot(tmp);
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return { file, ...snapshotHeader(file) };
}

/* Reads node_count / edge_count from the first bytes of a snapshot file. */
function snapshotHeader(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(4096);
  fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const head = buf.toString('latin1');
  const nc = /"node_count":(\d+)/.exec(head);
  const ec = /"edge_count":(\d+)/.exec(head);
  return {
    bytes: fs.statSync(file).size,
    nodeCount: nc ? Number(nc[1]) : -1,
    edgeCount: ec ? Number(ec[1]) : -1,
  };
}

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in defaults)) {
      console.error(`unknown argument: ${a} (known: ${Object.keys(defaults).map((k) => '--' + k).join(' ')})`);
      process.exit(2);
    }
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return out;
}

function mb(bytes) {
  return (bytes / 1048576).toFixed(1) + ' MiB';
}

module.exports = {
  mulberry32, hex, pick, createApp, buildUnit, measureSnapshotBytes, growToSnapshotBytes,
  writeSnapshot, snapshotHeader, parseArgs, mb,
  User, Session, Order, OrderItem, CacheEntry,
};
