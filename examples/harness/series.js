'use strict';
/*
 * harness/series.js: preload that takes a series of heap snapshots of the process it is loaded into.
 *
 *   LEAKHOUND_SERIES_DIR=/tmp/s node --expose-gc -r ./examples/harness/series.js examples/global-array.js
 *
 * Environment:
 *   LEAKHOUND_SERIES_DIR          (required) directory for s1.heapsnapshot, s2.heapsnapshot, ...
 *                                 (created with mode 0700 if missing)
 *   LEAKHOUND_SERIES_COUNT        number of snapshots (default 3)
 *   LEAKHOUND_SERIES_WARMUP_MS    delay before the first snapshot (default 2000)
 *   LEAKHOUND_SERIES_INTERVAL_MS  delay between snapshots (default 3000)
 *   LEAKHOUND_SERIES_MIN_REQUESTS for HTTP examples with self-load (lib/http-util.js): after the warm-up,
 *                                 also wait until that many self-load requests have completed before the
 *                                 first snapshot (default 0), so a busy machine does not give a smaller heap
 *
 * Before each snapshot it calls global.gc() twice when node runs with --expose-gc. Each file is
 * written with v8.writeHeapSnapshot into a file created beforehand with mode 0600 (and chmod'ed to
 * 0600 again afterwards); its path is printed to stderr. After the last snapshot the process exits
 * with status 0. Uses no inspector. Errors (bad env, unwritable dir) print one line and exit 2.
 */
const fs = require('fs');
const path = require('path');
const v8 = require('v8');

function fail(message) {
  process.stderr.write(`series: ${message}\n`);
  process.exit(2);
}

function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`${name} must be an integer >= ${min}, got '${raw}'`);
  return Number(raw);
}

const dir = process.env.LEAKHOUND_SERIES_DIR;
if (!dir) fail('LEAKHOUND_SERIES_DIR is required');
const count = intEnv('LEAKHOUND_SERIES_COUNT', 3, 1);
const warmupMs = intEnv('LEAKHOUND_SERIES_WARMUP_MS', 2000, 0);
const intervalMs = intEnv('LEAKHOUND_SERIES_INTERVAL_MS', 3000, 0);
const minRequests = intEnv('LEAKHOUND_SERIES_MIN_REQUESTS', 0, 0);

try {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
} catch (err) {
  fail(`cannot create ${dir}: ${err.message}`);
}

let taken = 0;

function takeOne() {
  taken++;
  const file = path.resolve(dir, `s${taken}.heapsnapshot`);
  try {
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    // Create (or truncate) the file owner-only first, so the snapshot is never world-readable.
    fs.closeSync(fs.openSync(file, 'w', 0o600));
    fs.chmodSync(file, 0o600);
    v8.writeHeapSnapshot(file);
    fs.chmodSync(file, 0o600);
  } catch (err) {
    fail(`cannot write ${file}: ${err.message}`);
  }
  process.stderr.write(`${file}\n`);
  if (taken >= count) {
    process.exit(0);
  }
  setTimeout(takeOne, intervalMs);
}

function firstWhenReady() {
  if ((globalThis.__leakhoundSelfLoadCompleted || 0) >= minRequests) {
    takeOne();
  } else {
    setTimeout(firstWhenReady, 20);
  }
}

setTimeout(minRequests > 0 ? firstWhenReady : takeOne, warmupMs);
