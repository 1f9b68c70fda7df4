'use strict';
// Leak tests in a Jest project: each runs `leakhound check` on a scenario in a fresh node process and reads its
// JSON report. Set LEAKHOUND to the command that runs leakhound (default: `leakhound` on the PATH):
//   LEAKHOUND=/path/to/leakhound/leakhound npx jest
// The checks run outside Jest's own process (Jest's module registry and workers would otherwise be in the heap
// measured), so they work the same under `node --test __tests__/` too.
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const TIMEOUT = 120000;
const jest = typeof globalThis.test === 'function' && typeof globalThis.expect === 'function';
const leakTest = jest
  ? (name, fn) => globalThis.test(name, fn, TIMEOUT)
  : (name, fn) => require('node:test').test(name, { timeout: TIMEOUT }, fn);

const LEAKHOUND = (process.env.LEAKHOUND || 'leakhound').split(' ');

/** Runs `leakhound check SCENARIO --json`: {status, report}. Exit 0: no leak, 1: a leak, 2: an error. */
function check(scenario) {
  const r = spawnSync(LEAKHOUND[0], [...LEAKHOUND.slice(1), 'check', path.join(__dirname, '..', 'leaks', scenario), '--json'],
    { encoding: 'utf8', timeout: TIMEOUT });
  assert.ok(r.status === 0 || r.status === 1, `leakhound did not run: ${r.error || r.stderr}`);
  return { status: r.status, report: JSON.parse(r.stdout) };
}

leakTest('a widget that stops watching leaves nothing behind', () => {
  const { status, report } = check('watch-and-stop.scenario.js');
  assert.strictEqual(report.verdict, 'no-leak', JSON.stringify(report.leaks, null, 2));
  assert.strictEqual(status, 0);
});

// Expects the leak, to show what leakhound reports; in your project, expect status 0.
leakTest('a widget that never stops watching leaks its listener', () => {
  const { status, report } = check('watch-forever.scenario.js');
  assert.strictEqual(status, 1);
  const leak = report.leaks[0];
  assert.strictEqual(leak.pattern, 'listeners');
  // two functions per call stay on the feed: the listener, and the onPrice callback it closes over
  assert.strictEqual(leak.leakedClass, 'Function');
  assert.strictEqual(leak.perCall, 2);
});
