'use strict';
/*
 * lib/audit-log.js: an audit-log module with a module-private array (the leaking part of audit-log.js).
 *
 * What leaks: `auditEntries` is a module-private array (a top-level const of this module, not
 * exported), so callers cannot see it grow. `record()` appends an AuditEntry for every event and
 * nothing ever flushes or trims it. It stays reachable through the module function's closure
 * context for as long as `record` is reachable (i.e. forever, since require() caches modules).
 * The fix: write entries out (file, stream, remote sink) and drop them, or cap the array.
 */

class AuditEntry {
  constructor(seq, action, user, details) {
    this.seq = seq;
    this.at = new Date().toISOString();
    this.action = action;
    this.user = user;
    this.details = details;
  }
}

const auditEntries = [];
let seq = 0;

function record(action, user, details) {
  seq++;
  auditEntries.push(new AuditEntry(seq, action, user, details)); // leak:allocates; BUG: never flushed
  return seq;
}

function count() {
  return auditEntries.length;
}

module.exports = { record, count };
