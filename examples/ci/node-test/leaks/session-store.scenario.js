'use strict';
// A leak scenario for `leakhound check`: one call = one unit of work. leakhound calls it a few times to warm
// up, then 7 times, then 7 times again, with a heap snapshot in between, and fails when something grows by a
// multiple of 7 each round.
const { createSessionStore } = require('../src/session-store');

const store = createSessionStore({ max: 5 });
let n = 0;

module.exports = async function sessionRoundTrip() {
  const id = 'session-' + (n++ % 20);   // more ids than the store keeps: it evicts
  store.open(id, { name: 'user ' + n });
  store.get(id);
  // garbage on the way, as real code makes: collected before each snapshot, never a leak
  const scratch = [];
  for (let i = 0; i < 2000; i++) {
    scratch.push({ i, label: 'row ' + i });
  }
  await new Promise((resolve) => setImmediate(resolve));
};
