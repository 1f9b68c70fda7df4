'use strict';
/*
 * closures-in-array.js: callbacks kept in an array, each capturing a sizable object.
 *
 * What it is: a job runner that, every 10 ms, accepts a job and registers a "retry" callback in
 * `pendingCallbacks` so the job can be re-run later if it fails.
 * What leaks: callbacks are pushed for every job, but they are only meant to be drained on
 * failure and nobody ever clears them for successful jobs. Each arrow function keeps its JobPayload
 * (~1.5 KB) alive through its closure context. About 9-10 MB/min.
 * The fix: remove the callback when the job succeeds (keep them in a Map keyed by job id and
 * delete), or store the job id instead of a closure over the whole payload.
 *
 * Run: node examples/closures-in-array.js
 */

class JobPayload {
  constructor(id) {
    this.id = id;
    this.createdAt = Date.now();
    this.input = Buffer.alloc(1536, `job-${id}#`).toString('latin1');
  }
}

const pendingCallbacks = [];
let nextId = 1;

function runJob(job) {
  return job.input.length > 0; // always succeeds
}

function acceptJob() {
  const job = new JobPayload(nextId++); // leak:allocates
  // BUG: a retry callback is kept for every job, even the ones that succeed.
  pendingCallbacks.push(() => runJob(job));
  runJob(job);
}

setInterval(acceptJob, 10);
