'use strict';
/*
 * slow-consumer-queue.js: a queue whose consumer is slower than its producer.
 *
 * What it is: a producer pushes a Job onto `jobQueue` every 5 ms; a consumer takes one job off
 * every 50 ms.
 * What leaks: nothing is "forgotten": every job would eventually be processed, but the queue
 * grows by ~170 jobs per second (nominally 200 in, 20 out), each with a ~1 KB payload. About 10-11 MB/min
 * and the backlog (latency) grows without bound.
 * The fix: apply back-pressure (bound the queue and reject or block the producer when full), or
 * consume faster (drain in batches, more workers); see drained-queue.js.
 *
 * Run: node examples/slow-consumer-queue.js
 */

class Job {
  constructor(id) {
    this.id = id;
    this.createdAt = Date.now();
    this.payload = Buffer.alloc(1024, `job-${id}:`).toString('latin1');
  }
}

const jobQueue = [];
let nextId = 1;
let processed = 0;

function process1(job) {
  processed += job.payload.length > 0 ? 1 : 0;
}

setInterval(() => {
  jobQueue.push(new Job(nextId++)); // leak:allocates
}, 5);

setInterval(() => {
  const job = jobQueue.shift();
  if (job) process1(job);
}, 50);
