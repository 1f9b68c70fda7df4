'use strict';
/*
 * memoize-cache.js: an unbounded memoize cache.
 *
 * What it is: `memoize(fn)` wraps a function with a cache held in its closure (`const cache = new
 * Map()`); `renderProfile` is memoized. Every 10 ms the app renders a profile card for a key that
 * includes a timestamp bucket and a request counter, so almost every key is new.
 * What leaks: the `cache` Map inside memoize's closure only ever grows: every distinct argument
 * adds a RenderedFragment (~1.5 KB of HTML) and nothing evicts. About 9-10 MB/min.
 * The fix: bound the cache (LRU with a maximum size, or a TTL), or memoize on a key with few
 * distinct values; see bounded-lru-cache.js.
 *
 * Run: node examples/memoize-cache.js
 */

class RenderedFragment {
  constructor(key, html) {
    this.key = key;
    this.html = html;
    this.renderedAt = Date.now();
  }
}

function memoize(fn) {
  const cache = new Map();
  return function memoized(arg) {
    if (cache.has(arg)) return cache.get(arg);
    const value = fn(arg);
    cache.set(arg, value); // BUG: unbounded, keyed by ever-new arguments
    return value;
  };
}

function renderProfileUncached(key) {
  const body = Buffer.alloc(1400, `<li>${key}</li>`).toString('latin1');
  return new RenderedFragment(key, `<section class="profile" data-key="${key}">${body}</section>`); // leak:allocates
}

const renderProfile = memoize(renderProfileUncached);

let counter = 0;
setInterval(() => {
  counter++;
  const userId = counter % 1000;
  // The key mixes in a counter (e.g. a "version" or timestamp), so it is almost never repeated.
  const fragment = renderProfile(`user:${userId}:v${counter}`);
  if (fragment.html.length === 0) throw new Error('unreachable');
}, 10);
