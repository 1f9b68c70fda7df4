'use strict';
/*
 * timers-cleared.js: busy but healthy: timers created and cleared.
 *
 * What it is: the same shape as intervals-never-cleared.js: every 10 ms a PollingSession (~2 KB)
 * starts a `setInterval(pollSession, 5)` and a `setTimeout` deadline.
 * Why it does not leak: the session ends after 3 polls (clearInterval) and clears its deadline
 * timeout (clearTimeout), so Node's timer lists drop the Timeout objects and their closures; only
 * the few sessions in flight are alive at any moment.
 *
 * Run: node examples/timers-cleared.js
 */

class PollingSession {
  constructor(id) {
    this.id = id;
    this.polls = 0;
    this.lastSnapshot = Buffer.alloc(2048, `session-${id}/`).toString('latin1');
  }
}

let nextId = 1;
let completed = 0;

function startSession() {
  const session = new PollingSession(nextId++);
  const deadline = setTimeout(() => {
    clearInterval(handle);
  }, 1000);
  const handle = setInterval(function pollSession() {
    session.polls++;
    if (session.polls >= 3) {
      clearInterval(handle);
      clearTimeout(deadline);
      completed++;
    }
  }, 5);
}

setInterval(startSession, 10);
