'use strict';
// An audit trail with a leak: every recorded action is kept forever in `auditEntries`.
// The fix: ship entries somewhere (a file, a queue) and keep only the last N, or none.

class AuditEntry {
  constructor(action, user) {
    this.action = action;
    this.user = user;
    this.at = new Date().toISOString();
  }
}

const auditEntries = [];

function audit(action, user) {
  auditEntries.push(new AuditEntry(action, user));
}

module.exports = { audit, AuditEntry };
