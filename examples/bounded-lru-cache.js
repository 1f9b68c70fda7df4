'use strict';
/*
 * bounded-lru-cache.js: busy but healthy: a full, bounded LRU cache.
 *
 * What it is: `pageCache`, an LruCache capped at 2000 entries, receives 20 lookups every 10 ms for
 * keys that are mostly new (misses), so it fills to its cap within about a second and from then on
 * evicts the least recently used entry for every insert. Each CachedPage holds ~1 KB.
 * Why it does not leak: the cache never holds more than `maxEntries` entries (a JS Map iterates in
 * insertion order; `get` re-inserts to mark an entry as recent, and `set` deletes the oldest key when
 * full). Memory stays flat at a few MB while objects churn constantly, which is a useful false-positive
 * check: snapshots differ in *which* CachedPage objects are alive, not in how many.
 *
 * Run: node examples/bounded-lru-cache.js
 */

class CachedPage {
  constructor(key) {
    this.key = key;
    this.html = Buffer.alloc(1024, `<p>${key}</p>`).toString('latin1');
  }
}

class LruCache {
  constructor(maxEntries) {
    this.maxEntries = maxEntries;
    this.entries = new Map();
  }

  get(key) {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key, value) {
    if (this.entries.has(key)) this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      this.entries.delete(oldest);
    }
  }
}

const pageCache = new LruCache(2000);
let counter = 0;
let hits = 0;

setInterval(() => {
  for (let i = 0; i < 20; i++) {
    counter++;
    // One lookup in ten asks for a recent key (a hit); the rest are new keys (misses).
    const key = counter % 10 === 0 ? `page-${counter - 5}` : `page-${counter}`;
    if (pageCache.get(key)) {
      hits++;
    } else {
      pageCache.set(key, new CachedPage(key));
    }
  }
}, 10);
