"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/*
 * server.ts: examples/ts-service, a TypeScript service whose compiled output leaks.
 *
 * What it is: every 10 ms the service "handles a login": it opens a session for a user (see
 * sessions.ts) and logs a line every 1000 logins.
 * What leaks: sessions are opened and never closed, so sessions.ts's `openSessions` Map grows by one
 * SessionRecord (~1.7 KB) per login, about 10 MB/min.
 *
 * Run: node examples/ts-service/dist/server.js   (the committed compiled output; regen.sh rebuilds it)
 */
const sessions_1 = require("./sessions");
function nextLogin(seq) {
    const userId = seq % 500;
    return { seq, user: { userId, displayName: `user-${userId}`, roles: ['reader'] } };
}
let seq = 0;
setInterval(() => {
    seq++;
    const login = nextLogin(seq);
    (0, sessions_1.openSession)(`s-${login.seq}`, login.user);
    if (seq % 1000 === 0) {
        process.stdout.write(`${(0, sessions_1.openCount)()} sessions open\n`);
    }
}, 10);
//# sourceMappingURL=server.js.map