'use strict';
// A session store with a bound: at most `max` sessions, the least recently used one goes first.
// Busy but healthy: however many sessions come and go, it holds at most `max` of them.

class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.createdAt = Date.now();
    this.data = { theme: 'dark', cart: [] };
  }
}

function createSessionStore({ max = 100 } = {}) {
  const sessions = new Map();
  return {
    open(id, user) {
      const s = new Session(id, user);
      sessions.set(id, s);
      if (sessions.size > max) {
        sessions.delete(sessions.keys().next().value);
      }
      return s;
    },
    get(id) {
      const s = sessions.get(id);
      if (s) {
        sessions.delete(id);   // most recently used goes last
        sessions.set(id, s);
      }
      return s;
    },
    close(id) {
      sessions.delete(id);
    },
    get size() {
      return sessions.size;
    },
  };
}

module.exports = { createSessionStore, Session };
