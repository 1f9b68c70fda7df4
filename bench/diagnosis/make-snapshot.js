'use strict';
/*
 * make-snapshot.js: writes a large heap snapshot of a process shaped like a busy Node.js server, for
 * the diagnosis benchmark (bench/diagnosis/run.sh).
 *
 *   node --max-old-space-size=6000 bench/diagnosis/make-snapshot.js OUT.heapsnapshot [SCALE]
 *
 * SCALE (default 1.0) multiplies every population; 1.0 gives a snapshot file of about 500 MB with
 * node 20. The heap holds what the diagnosis looks at, at realistic proportions: sessions in a Map,
 * an append-only audit Array, a dictionary object, per-request closures (listeners on an emitter,
 * live intervals), a replaceThing-style closure chain, Buffers, and many duplicate strings, plus
 * plenty of ordinary objects.
 */
const v8 = require('v8');
const fs = require('fs');
const { EventEmitter } = require('events');

const out = process.argv[2];
const scale = Number(process.argv[3] || '1');
if (!out || !(scale > 0)) {
  process.stderr.write('usage: make-snapshot.js OUT.heapsnapshot [SCALE]\n');
  process.exit(2);
}
const n = (k) => Math.max(1, Math.round(k * scale));

class Session {
  constructor(id) {
    this.id = `session-${id}`;
    this.user = { name: `user-${id % 50000}`, roles: ['reader', id % 7 === 0 ? 'admin' : 'writer'], id };
    this.createdAt = new Date(1700000000000 + id);
    this.headers = { host: 'example.internal', 'user-agent': 'bench/1.0', accept: 'application/json' };
    this.history = [id, id + 1, id + 2];
  }
}
class AuditEntry {
  constructor(seq) {
    this.seq = seq;
    this.action = ['login', 'logout', 'read', 'write'][seq % 4];
    this.detail = JSON.parse(`{"path":"/api/items/${seq % 1000}","status":"ok","note":"${'n'.repeat(40)}"}`);
  }
}
class Order {
  constructor(i) {
    this.lines = [];
    for (let k = 0; k < 3; k++) this.lines.push({ sku: `SKU-${i}-${k}`, qty: k + 1, price: 9.99 + k });
    this.customer = `customer-${i % 20000}`;
  }
}

const sessions = new Map();
for (let i = 0; i < n(400000); i++) sessions.set(`s${i}`, new Session(i));

const audit = [];
for (let i = 0; i < n(300000); i++) audit.push(new AuditEntry(i));

const byCustomer = {};
for (let i = 0; i < n(60000); i++) byCustomer[`c-${i}`] = new Order(i);

const bus = new EventEmitter();
bus.setMaxListeners(0);
for (let i = 0; i < n(20000); i++) {
  const ctx = { id: i, payload: `ctx-${i}`.padEnd(64, '.') };
  bus.on('config', function onConfig() { ctx.seen = true; });
}

const intervals = [];
for (let i = 0; i < n(5000); i++) {
  const state = { i, data: new Array(8).fill(i) };
  intervals.push(setInterval(function poll() { state.i++; }, 3600000 + (i % 3)).unref());
}

let theThing = null;
function replaceThing() {
  const originalThing = theThing;
  const unused = function () { if (originalThing) return 1; };
  theThing = { longStr: `x${theThing ? 1 : 0}`.repeat(2000), someMethod: function () { return unused; } };
}
for (let i = 0; i < n(2000); i++) replaceThing();

const buffers = [];
for (let i = 0; i < n(20000); i++) buffers.push({ seq: i, data: Buffer.alloc(2048, i % 251) });

const filler = [];
for (let i = 0; i < n(1500000); i++) filler.push({ a: i, b: `f${i}`, c: [i] });

global.__keep = { sessions, audit, byCustomer, bus, intervals, buffers, filler, get thing() { return theThing; } };

fs.closeSync(fs.openSync(out, 'w', 0o600));
v8.writeHeapSnapshot(out);
fs.chmodSync(out, 0o600);
process.stderr.write(`${out}: ${(fs.statSync(out).size / 1048576).toFixed(0)} MB\n`);
process.exit(0);
