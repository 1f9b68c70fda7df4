#!/usr/bin/env node
'use strict';
/*
 * Prints the layout of a V8 .heapsnapshot file: node/edge counts from the header and the byte size of
 * each top-level section, found by scanning the file for the section keys V8 writes
 * ("nodes":[, "edges":[, ..., "strings":[). The strings section size is the number of bytes from
 * just after `"strings":[` to the end of the file.
 *
 *   node bench/gen/sections.js FILE...
 * Output: one JSON line per file.
 */
const fs = require('fs');
const { snapshotHeader } = require('./heap-lib');

const KEYS = ['"nodes":[', '"edges":[', '"trace_function_infos":[', '"trace_tree":[', '"samples":[',
  '"locations":[', '"strings":['];

function scan(file) {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(16 * 1048576);
  const found = {};
  let pos = 0;
  let carry = '';
  let k = 0; // keys appear in this order; search for the next one only
  while (pos < size && k < KEYS.length) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
    if (n <= 0) break;
    const text = carry + chunk.toString('latin1', 0, n);
    const base = pos - carry.length;
    let from = 0;
    while (k < KEYS.length) {
      const i = text.indexOf(KEYS[k], from);
      if (i < 0) break;
      found[KEYS[k]] = base + i;
      from = i + KEYS[k].length;
      k++;
    }
    carry = text.slice(Math.max(from, text.length - 32));
    pos += n;
  }
  fs.closeSync(fd);
  const sections = {};
  const present = KEYS.filter((key) => key in found);
  present.forEach((key, idx) => {
    const start = found[key] + key.length;
    const end = idx + 1 < present.length ? found[present[idx + 1]] : size;
    sections[key.slice(1, key.indexOf('"', 1))] = end - start;
  });
  return { file, ...snapshotHeader(file), sections, stringsSectionBytes: sections.strings };
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: sections.js FILE...');
    process.exit(2);
  }
  for (const f of files) console.log(JSON.stringify(scan(f)));
}

module.exports = { scan };
