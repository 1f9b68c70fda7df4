#!/usr/bin/env node
'use strict';
/*
 * Builds a server-like heap and writes one heap snapshot of about the requested size.
 *
 *   node --max-old-space-size=6144 bench/gen/make-snapshot.js --size-mb 530 --out bench/work/s530.heapsnapshot
 *
 * Options: --size-mb N (target file size in MiB, default 100), --out FILE, --seed N (default 1).
 * Prints one JSON line: {"file","bytes","nodeCount","edgeCount","units","seconds"}.
 * Memory: for a 530 MiB snapshot the process peaked at about 3.1 GB RSS (heap plus V8's snapshot
 * writer); run.sh uses --max-old-space-size=6144 for it and 2048 for 100 MiB.
 */
const lib = require('./heap-lib');

async function main() {
  const args = lib.parseArgs(process.argv.slice(2), { 'size-mb': '100', out: '', seed: '1' });
  const target = Number(args['size-mb']) * 1048576;
  if (!args.out || !(target > 0)) {
    console.error('usage: make-snapshot.js --size-mb N --out FILE [--seed N]');
    process.exit(2);
  }
  const t0 = Date.now();
  const log = (m) => console.error(`[make-snapshot ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);
  const r = lib.mulberry32(Number(args.seed));
  const app = lib.createApp();
  globalThis.__benchApp = app;
  await lib.growToSnapshotBytes(app, r, target, log);
  log(`writing ${args.out}`);
  const res = lib.writeSnapshot(args.out);
  log(`wrote ${lib.mb(res.bytes)}, ${res.nodeCount} nodes, ${res.edgeCount} edges`);
  console.log(JSON.stringify({ ...res, units: app.units, seconds: (Date.now() - t0) / 1000 }));
}

main().catch((e) => {
  console.error(`make-snapshot: ${e.message}`);
  process.exit(1);
});
