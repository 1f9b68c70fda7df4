/*
 * metrics.js: a metrics recorder that keeps every sample (the leak of examples/bundled-service).
 *
 * What leaks: `history` (a module-level array) gains one MetricSample per recorded request and is
 * never trimmed or flushed, so every sample (~1.2 KB of labels) stays reachable.
 * The fix: aggregate into fixed buckets (count, sum, histogram) or keep a bounded window.
 */

const history = [];

export class MetricSample {
  constructor(route, status, millis, labels) { // leak:constructor of the leaked objects
    this.route = route;
    this.status = status;
    this.millis = millis;
    this.labels = labels;
    this.at = Date.now();
  }
}

export function record(route, status, millis) {
  const labels = Buffer.alloc(1200, `${route}|${status}|`).toString('latin1');
  history.push(new MetricSample(route, status, millis, labels)); // leak:accumulates (BUG: never trimmed)
}

export function recorded() {
  return history.length;
}
