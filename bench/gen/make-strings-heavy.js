#!/usr/bin/env node
'use strict';
/*
 * Writes a heap snapshot whose `strings` section is bigger than a JS string can be (node 20 caps
 * strings at 2^29-24 = 536,870,888 chars), the case that breaks loaders which JSON.parse the
 * section as one string.
 *
 *   node --max-old-space-size=6144 bench/gen/make-strings-heavy.js --strings-mb 640 --out FILE
 *
 * The heap is a small server-like base (bench/gen/heap-lib.js units) plus a response cache: a Map
 * from request path to a distinct ~1.1 KB JSON-ish body. V8 writes a string node's name truncated to
 * 1024 chars, so each body adds about 1 KB to the strings section; the bodies differ within their
 * first 1024 chars (the id comes first). Options: --strings-mb N (target strings-section MiB, default
 * 640), --base-units N (default 5000), --seed N, --out FILE. Prints one JSON line with the measured
 * section sizes (bench/gen/sections.js).
 */
const lib = require('./heap-lib');
const { scan } = require('./sections');

const WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore ' +
  'et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea ' +
  'commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur ' +
  'excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum').split(' ');

function body(id, r) {
  const parts = [`{"id":${id},"etag":"${lib.hex(r, 16)}","items":[`];
  let len = parts[0].length;
  let i = 0;
  while (len < 1100) {
    const p = `{"n":${i++},"t":"${lib.pick(r, WORDS)} ${lib.pick(r, WORDS)} ${lib.pick(r, WORDS)}","v":${Math.floor(r() * 1e6)}},`;
    parts.push(p);
    len += p.length;
  }
  parts.push(']}');
  return parts.join('');
}

async function main() {
  const args = lib.parseArgs(process.argv.slice(2), { 'strings-mb': '640', 'base-units': '5000', seed: '3', out: '' });
  const target = Number(args['strings-mb']) * 1048576;
  if (!args.out || !(target > 0)) {
    console.error('usage: make-strings-heavy.js --strings-mb N --out FILE [--base-units N] [--seed N]');
    process.exit(2);
  }
  const t0 = Date.now();
  const log = (m) => console.error(`[make-strings-heavy ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);
  const r = lib.mulberry32(Number(args.seed));
  const app = lib.createApp();
  globalThis.__benchApp = app;
  for (let i = 0, n = Number(args['base-units']); i < n; i++) lib.buildUnit(app, r);
  /* Each cached body contributes 1024 chars + quotes, comma and newline (4 bytes) and a few escaped
     quotes: JSON text has many `"` which V8 writes as `\"`. Measure one to size the cache. */
  const sample = body(0, lib.mulberry32(99)).slice(0, 1024);
  const perString = JSON.stringify(sample).length + 2;
  const count = Math.ceil(target / perString) + 1000;
  log(`${count} distinct bodies of ~${perString} snapshot bytes each`);
  const cache = new Map();
  app.responseCache = cache;
  for (let i = 0; i < count; i++) cache.set('/api/items/' + i, body(i, r));
  log(`writing ${args.out}`);
  lib.writeSnapshot(args.out);
  const res = scan(args.out);
  log(`wrote ${lib.mb(res.bytes)}, ${res.nodeCount} nodes, strings section ${lib.mb(res.stringsSectionBytes)}`);
  console.log(JSON.stringify({ ...res, cachedBodies: count, seconds: (Date.now() - t0) / 1000 }));
}

main().catch((e) => {
  console.error(`make-strings-heavy: ${e.message}`);
  process.exit(1);
});
