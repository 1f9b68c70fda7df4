'use strict';
/*
 * audit-log.js: a module-private array inside a required module (lib/audit-log.js).
 *
 * What it is: an app that records an audit event every 10 ms (logins, permission checks) through
 * `require('./lib/audit-log').record(...)`.
 * What leaks: lib/audit-log.js keeps every AuditEntry in its module-private `auditEntries` array and
 * never flushes it. Nothing in this file holds the data; the accumulation point is inside the
 * required module, reachable only through that module's closure context. About 6 MB/min.
 * The fix (in lib/audit-log.js): write entries to a sink and drop them, or keep a bounded buffer.
 *
 * Run: node examples/audit-log.js
 */
const audit = require('./lib/audit-log');

const actions = ['login', 'logout', 'permission-check', 'password-change', 'export'];
let tick = 0;

setInterval(() => {
  tick++;
  const user = `user-${tick % 750}`;
  const details = Buffer.alloc(1024, `${actions[tick % actions.length]} by ${user} at tick ${tick}; `)
    .toString('latin1');
  audit.record(actions[tick % actions.length], user, details);
}, 10);
