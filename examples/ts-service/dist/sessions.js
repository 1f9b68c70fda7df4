"use strict";
/*
 * sessions.ts: a session registry that never forgets (the leak of examples/ts-service).
 *
 * What leaks: `openSessions` (a module-level Map) gains one SessionRecord per tick of the server and
 * `closeSession` is never called by it, so every record (~1.5 KB of profile text) stays reachable.
 * The fix: delete the entry when the session ends, or expire idle entries.
 *
 * The types below compile to nothing, so lines in dist/sessions.js and here differ: leakhound prints
 * the lines of this file through dist/sessions.js.map.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.SessionRecord = exports.SessionState = void 0;
exports.openSession = openSession;
exports.closeSession = closeSession;
exports.openCount = openCount;
var SessionState;
(function (SessionState) {
    SessionState["Open"] = "open";
    SessionState["Closed"] = "closed";
})(SessionState || (exports.SessionState = SessionState = {}));
class SessionRecord {
    id;
    profile;
    notes;
    options;
    openedAt = Date.now();
    state = SessionState.Open;
    constructor(// leak:constructor of the leaked objects
    id, profile, notes, options = {}) {
        this.id = id;
        this.profile = profile;
        this.notes = notes;
        this.options = options;
    }
}
exports.SessionRecord = SessionRecord;
const openSessions = new Map();
function openSession(id, profile) {
    const notes = Buffer.alloc(1500, `${id}|${profile.displayName}|`).toString('latin1');
    const record = new SessionRecord(id, profile, notes, { sticky: true });
    openSessions.set(id, record); // leak:accumulates (BUG: never deleted)
    return record;
}
function closeSession(id) {
    const record = openSessions.get(id);
    if (record !== undefined) {
        record.state = SessionState.Closed;
        openSessions.delete(id);
    }
}
function openCount() {
    return openSessions.size;
}
//# sourceMappingURL=sessions.js.map