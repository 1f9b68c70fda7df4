'use strict';
/*
 * intervals-never-cleared.js: setInterval timers created per tick and never cleared.
 *
 * What it is: every 10 ms a PollingSession starts (think: a client that subscribes to updates) and
 * sets up `setInterval(pollSession, 30000)` to refresh it.
 * What leaks: the interval is never cleared when the session ends, so Node's timer list keeps
 * every Timeout, and each Timeout's `_onTimeout` closure keeps its `session` (~2 KB payload)
 * alive. About 12-13 MB/min; the number of live Timeout objects grows without bound.
 * The fix: keep the handle and `clearInterval(handle)` when the session ends (or `.unref()` is NOT
 * enough: unref only stops the timer from keeping the process alive, it still retains the closure).
 *
 * Run: node examples/intervals-never-cleared.js
 */

class PollingSession {
  constructor(id) {
    this.id = id;
    this.polls = 0;
    this.lastSnapshot = Buffer.alloc(2048, `session-${id}/`).toString('latin1');
  }
}

let nextId = 1;

function startSession() {
  const session = new PollingSession(nextId++); // leak:allocates
  // BUG: the handle is dropped; the interval runs (and retains `session`) forever.
  setInterval(function pollSession() {
    session.polls++;
  }, 30000);
}

setInterval(startSession, 10);
