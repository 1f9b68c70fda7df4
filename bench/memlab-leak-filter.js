'use strict';
/*
 * Leak filter for `memlab find-leaks --leak-filter` on the series written by
 * bench/gen/make-growing-series.js: among the objects memlab considers leaked (allocated between the
 * baseline and target snapshots and still alive in the final one), report the instances of the
 * leaked class, PendingRequest.
 */
module.exports = function leakFilter(node) {
  return node.type === 'object' && node.name === 'PendingRequest';
};
