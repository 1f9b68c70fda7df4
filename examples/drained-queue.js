'use strict';
/*
 * drained-queue.js: busy but healthy: a queue whose consumer keeps up.
 *
 * What it is: the same producer as slow-consumer-queue.js (a ~1 KB Job onto `jobQueue` every 5 ms),
 * but the consumer drains everything that is queued every 50 ms.
 * Why it does not leak: the consumer's throughput exceeds the producer's, so the queue holds at
 * most ~10 jobs between drains; memory stays flat.
 *
 * Run: node examples/drained-queue.js
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

setInterval(() => {
  jobQueue.push(new Job(nextId++));
}, 5);

setInterval(() => {
  while (jobQueue.length > 0) {
    const job = jobQueue.shift();
    processed += job.payload.length > 0 ? 1 : 0;
  }
}, 50);
