'use strict';
/*
 * buffers-kept.js: Buffers kept forever (external memory).
 *
 * What it is: a "replay log" that keeps every received chunk: every 10 ms a ChunkRecord holding a
 * 4 KB `Buffer.alloc` payload and a small `Buffer.from` header is appended to `retainedChunks`.
 * What leaks: `retainedChunks` is never trimmed. Most of the growth is outside the JS heap: Buffer
 * bytes live in ArrayBuffer backing stores (process.memoryUsage().external / arrayBuffers, and
 * `system / JSArrayBufferData` native nodes in a heap snapshot), while heapUsed grows only by the
 * small Buffer/ChunkRecord objects. About 22 MB/min external, ~2 MB/min heap.
 * The fix: keep a bounded window of chunks (or write them to disk) and drop the rest.
 *
 * Run: node examples/buffers-kept.js
 */

class ChunkRecord {
  constructor(seq) {
    this.seq = seq;
    this.receivedAt = Date.now();
    this.header = Buffer.from(`chunk-${seq}`);        // small: allocated from Buffer's shared pool
    this.data = Buffer.alloc(4096, seq % 251);         // 4 KB: its own backing store
  }
}

const retainedChunks = [];
let seq = 0;

setInterval(() => {
  retainedChunks.push(new ChunkRecord(++seq)); // leak:allocates; BUG: never trimmed
}, 10);
