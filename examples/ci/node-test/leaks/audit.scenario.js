'use strict';
// The audit trail keeps one AuditEntry per call: `leakhound check` reports it, 1 object per call.
const { audit } = require('../src/audit');

let n = 0;

module.exports = async function recordAction() {
  audit('login', 'user ' + n++);
};
