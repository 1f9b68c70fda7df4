'use strict';
/*
 * leakhound check's harness, shipped in leakhound's jar:   node check-harness.cjs SCENARIO
 *
 * It does nothing by itself but keep the process alive. leakhound, attached over the inspector, asks it to
 * load the scenario module and then to run it N times, one call after the other, between its heap
 * snapshots. The answers are data ({ok: true}, or {problem, call, detail}); leakhound words them.
 *
 * A scenario module exports one (async) function: `module.exports = async () => {...}`,
 * `export default async function () {...}`, or a transpiled module's `exports.default`.
 */
const { pathToFileURL } = require('url');

const scenarioFile = process.argv[2];
let scenario = null;

// keeps the event loop alive until leakhound ends the process
setInterval(() => {}, 1 << 30);

/** One line about a thrown value: "TypeError: x is not a function". */
function describe(e) {
  if (e instanceof Error) {
    return String(e.name + ': ' + e.message).split('\n')[0];
  }
  try {
    return 'a thrown ' + typeof e + ' (' + String(e).split('\n')[0] + ')';
  } catch (ignored) {
    return 'a thrown ' + typeof e;
  }
}

/** The scenario function among a module's exports, or what was found instead. */
function pick(mod) {
  let f = mod && mod.default;
  if (f && typeof f === 'object' && typeof f.default === 'function') {
    f = f.default;
  }
  return f;
}

Object.defineProperty(globalThis, Symbol.for('leakhound.check'), {
  value: Object.freeze({
    async load() {
      let mod;
      try {
        mod = await import(pathToFileURL(scenarioFile).href);
      } catch (e) {
        return { problem: 'load', detail: describe(e) };
      }
      const f = pick(mod);
      if (typeof f !== 'function') {
        return { problem: 'not-a-function', detail: f === undefined ? 'nothing' : f === null ? 'null' : typeof f };
      }
      scenario = f;
      return { ok: true };
    },

    async run(n) {
      for (let i = 1; i <= n; i++) {
        try {
          await scenario();
        } catch (e) {
          return { problem: 'threw', call: i, detail: describe(e) };
        }
      }
      // what the calls scheduled for right after them runs before the snapshot
      await new Promise((resolve) => setImmediate(resolve));
      return { ok: true };
    },
  }),
});
