'use strict';
/*
 * Computes, once, the answers SourceMapTest checks leakhound's decoder against: for each map here, the
 * original position Mozilla's `source-map` package (0.7.4) gives for many generated positions. It also
 * writes the synthetic maps (random.map with its generator, index.map from the examples' maps) so that
 * their content and the answers come from the same run. Committed outputs: *.map, expected-*.json.
 *
 *   npm install --prefix /tmp/sm source-map@0.7.4
 *   NODE_PATH=/tmp/sm/node_modules node leakhound-analysis/src/test/resources/sourcemaps/generate-expected.js
 *
 * Positions passed to source-map: 1-based line, 0-based column; written 0-based both (the map format's).
 */
const fs = require('fs');
const path = require('path');
const { SourceMapConsumer, SourceMapGenerator } = require('source-map');

const here = __dirname;
const examples = path.resolve(here, '../../../../../examples');

// a seeded generator (mulberry32), so that reruns write the same files
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMap(seed) {
  const r = rng(seed);
  const g = new SourceMapGenerator({ file: 'random.js', sourceRoot: 'src' });
  const sources = ['a.ts', 'lib/b.ts', 'c/d.ts'];
  for (let line = 1; line <= 60; line++) {
    let col = 0;
    const segments = Math.floor(r() * 12);
    for (let k = 0; k < segments; k++) {
      // never two segments at one column: which of them wins is not settled (Chrome DevTools takes the last
      // written, source-map 0.7 an order of its own); SourceMapTest checks leakhound's choice by hand
      col += 1 + Math.floor(r() * 40);
      if (r() < 0.15) {
        g.addMapping({ generated: { line, column: col } });
      } else {
        const m = {
          generated: { line, column: col },
          source: sources[Math.floor(r() * sources.length)],
          original: { line: 1 + Math.floor(r() * 200), column: Math.floor(r() * 80) },
        };
        if (r() < 0.4) {
          m.name = 'name' + Math.floor(r() * 20);
        }
        g.addMapping(m);
      }
    }
  }
  return g.toJSON();
}

function indexMap() {
  const sessions = JSON.parse(fs.readFileSync(path.join(examples, 'ts-service/dist/sessions.js.map'), 'utf8'));
  const server = JSON.parse(fs.readFileSync(path.join(examples, 'ts-service/dist/server.js.map'), 'utf8'));
  const bundle = JSON.parse(fs.readFileSync(path.join(examples, 'bundled-service/dist/service.min.js.map'), 'utf8'));
  return {
    version: 3,
    file: 'concatenated.js',
    sections: [
      { offset: { line: 0, column: 0 }, map: sessions },
      { offset: { line: 70, column: 0 }, map: server },
      { offset: { line: 110, column: 25 }, map: bundle },
    ],
  };
}

// generated positions worth asking: every segment's column, one before and after, random ones, past the ends
function positions(raw, seed) {
  const r = rng(seed);
  const out = [];
  const lineCount = raw.sections ? 120 : raw.mappings.split(';').length + 2;
  const widths = [];
  if (!raw.sections) {
    raw.mappings.split(';').forEach((line) => widths.push(line.length * 3 + 10));
  }
  for (let line = 0; line < lineCount; line++) {
    const width = raw.sections ? 800 : (widths[line] || 20);
    const n = raw.sections ? 40 : Math.min(60, 8 + Math.floor(width / 4));
    for (let k = 0; k < n; k++) {
      out.push([line, Math.floor(r() * width)]);
    }
    out.push([line, 0]);
  }
  return out;
}

async function answers(raw, name, seed, exclude) {
  const consumer = await new SourceMapConsumer(raw);
  const queries = positions(raw, seed);
  // also every segment's own column and its neighbours
  consumer.eachMapping((m) => {
    for (const d of [-1, 0, 1]) {
      if (m.generatedColumn + d >= 0) {
        queries.push([m.generatedLine - 1, m.generatedColumn + d]);
      }
    }
  });
  const rows = [];
  for (const [line, column] of queries) {
    if (exclude && exclude(line, column)) {
      continue;
    }
    const o = consumer.originalPositionFor({ line: line + 1, column, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
    rows.push([line, column, o.source, o.line === null ? null : o.line - 1, o.column, o.name]);
  }
  consumer.destroy();
  fs.writeFileSync(path.join(here, 'expected-' + name + '.json'),
    JSON.stringify({ generator: 'source-map 0.7.4 originalPositionFor, GREATEST_LOWER_BOUND', queries: rows }) + '\n');
  console.log(name + ': ' + rows.length + ' positions, ' + rows.filter((x) => x[2] !== null).length + ' mapped');
}

(async () => {
  const random = randomMap(20261203);
  fs.writeFileSync(path.join(here, 'random.map'), JSON.stringify(random) + '\n');
  const index = indexMap();
  fs.writeFileSync(path.join(here, 'index.map'), JSON.stringify(index) + '\n');
  await answers(random, 'random', 1);
  await answers(JSON.parse(fs.readFileSync(path.join(examples, 'ts-service/dist/sessions.js.map'), 'utf8')), 'ts-sessions', 2);
  await answers(JSON.parse(fs.readFileSync(path.join(examples, 'bundled-service/dist/service.min.js.map'), 'utf8')), 'bundle', 3);
  // source-map 0.7.4 compares a 0-based column with a section's 1-based one, so at exactly a section's
  // offset it answers from the section before; the format puts that position in the new section, as
  // leakhound does (SourceMapTest checks those positions by hand): they are left out here.
  const starts = index.sections.map((s) => s.offset);
  await answers(index, 'index', 4, (line, column) => starts.some((o) => o.line === line && o.column === column));
})();
