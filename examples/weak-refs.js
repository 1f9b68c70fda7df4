'use strict';
/*
 * weak-refs.js: busy but healthy: data attached through WeakMap / WeakRef to short-lived objects.
 *
 * What it is: every 10 ms a short-lived IncomingCall object is created; ~2 KB of CallMetadata is
 * attached to it in the long-lived `metadataByCall` WeakMap, and `lastCallRef` (a WeakRef) points at
 * the most recent call so a debug endpoint could peek at it.
 * Why it does not leak: a WeakMap entry is kept only while its key is alive (ephemeron semantics),
 * and a WeakRef does not keep its target alive. Nothing else holds the IncomingCall objects after
 * their tick, so the GC reclaims the calls and their metadata together.
 *
 * Run: node examples/weak-refs.js
 */

class IncomingCall {
  constructor(id) {
    this.id = id;
    this.at = Date.now();
  }
}

class CallMetadata {
  constructor(call) {
    this.callId = call.id;
    this.trace = Buffer.alloc(2048, `trace-${call.id}|`).toString('latin1');
  }
}

const metadataByCall = new WeakMap();
let lastCallRef = null;
let nextId = 1;
let seen = 0;

setInterval(() => {
  const call = new IncomingCall(nextId++);
  metadataByCall.set(call, new CallMetadata(call));
  lastCallRef = new WeakRef(call);
  const previous = lastCallRef.deref();
  if (previous && metadataByCall.has(previous)) seen++;
}, 10);
