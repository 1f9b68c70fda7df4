#!/usr/bin/env node
'use strict';
/*
 * Loads one heap snapshot with memlab's API getFullHeapFromFile (@memlab/heap-analysis): the parse plus
 * memlab's full processing (shortest paths from the roots, dominator tree and retained sizes), i.e.
 * what its analyses need before they can answer anything. Prints the load's wall time and a few
 * figures from the loaded heap, so a run that silently loaded nothing would show.
 *
 *   node --max-old-space-size=16384 bench/memlab-load.js FILE
 *
 * memlab is looked up in $MEMLAB_DIR/node_modules (default: bench/memlab, see memlab-install.sh).
 * Output: one line "memlab-load: file=... seconds=... nodes=... edges=... root_retained=... heap_used_mb=..."
 * Exit status 0 on success, 1 when memlab fails (its message on stderr).
 */
const path = require('path');

const file = process.argv[2];
if (!file) {
  console.error('usage: memlab-load.js SNAPSHOT_FILE');
  process.exit(2);
}
const memlabDir = process.env.MEMLAB_DIR || path.join(__dirname, 'memlab');
let heapAnalysis;
try {
  heapAnalysis = require(require.resolve('@memlab/heap-analysis', { paths: [memlabDir] }));
} catch (e) {
  console.error(`memlab-load: memlab is not installed in ${memlabDir} (run bench/memlab-install.sh)`);
  process.exit(2);
}

(async () => {
  const t0 = process.hrtime.bigint();
  const heap = await heapAnalysis.getFullHeapFromFile(path.resolve(file));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!heap) throw new Error('getFullHeapFromFile returned nothing');
  const root = heap.nodes.get(0);
  const used = process.memoryUsage();
  console.log(`memlab-load: file=${path.basename(file)} seconds=${seconds.toFixed(1)}` +
    ` nodes=${heap.nodes.length} edges=${heap.edges.length}` +
    ` root_retained=${root ? root.retainedSize : 'n/a'}` +
    ` heap_used_mb=${(used.heapUsed / 1048576).toFixed(0)} rss_mb=${(used.rss / 1048576).toFixed(0)}`);
})().catch((e) => {
  console.error(`memlab-load: failed: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
