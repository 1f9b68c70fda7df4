#!/usr/bin/env node
'use strict';
/*
 * Writes one large heap snapshot of server-like state for the HTML report benchmark:
 *   node --max-old-space-size=8192 scripts/bench-html-snapshot.js OUT.heapsnapshot [UNITS]
 * Each unit is a user with a session (a closure and its context), a Map of preferences, an array
 * of orders with items, unique and shared strings; 100 classes of each kind so the class table is
 * wide. About 370 units make 1 MB of snapshot file; the default 185,000 units make about 500 MB.
 */
const v8 = require('v8');
const out = process.argv[2];
const units = Number(process.argv[3] || 185000);
if (!out) { console.error('usage: bench-html-snapshot.js OUT.heapsnapshot [UNITS]'); process.exit(2); }

const classes = [];
for (let c = 0; c < 100; c++) {
  classes.push({ ['Model' + c]: class { constructor(i) { this.i = i; this.name = 'model-' + c + '-' + i; } } }['Model' + c]);
}
class User { constructor(i) { this.id = i; this.email = 'user' + i + '@example.test'; this.tags = ['a', 'b', 'c']; } }
class Order { constructor(i, k) { this.id = i * 10 + k; this.items = [{ sku: 'sku-' + (k % 97), qty: k }, { sku: 'sku-x', qty: 1 }]; } }
const state = { users: [], sessions: new Map(), models: [] };
globalThis.state = state;
for (let i = 0; i < units; i++) {
  const u = new User(i);
  const prefs = new Map([['lang', 'en'], ['tz', 'UTC+' + (i % 12)]]);
  const orders = [];
  for (let k = 0; k < 3; k++) orders.push(new Order(i, k));
  const touch = () => u.id + prefs.size + orders.length;
  state.users.push(u);
  state.sessions.set('session-' + i, { user: u, prefs, orders, touch });
  state.models.push(new classes[i % 100](i));
}
v8.writeHeapSnapshot(out);
console.log(out);
