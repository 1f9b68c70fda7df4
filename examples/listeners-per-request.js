'use strict';
/*
 * listeners-per-request.js: event listeners added per request to a long-lived EventEmitter.
 *
 * What it is: a process-wide `eventBus` (an EventBus, i.e. an EventEmitter) announces configuration
 * changes. Each simulated request (every 10 ms) subscribes to 'config-changed' so it can see new
 * settings while it runs.
 * What leaks: the listener is never removed when the request finishes. Each listener closure keeps
 * its RequestContext (~1 KB payload) alive through `eventBus._events['config-changed']`. Node prints
 * a MaxListenersExceededWarning once; that is expected. About 7 MB/min.
 * The fix: remove the listener when the request ends (`eventBus.off('config-changed', onConfig)`),
 * or use `once`, or read the configuration from a shared object instead of subscribing.
 *
 * Run: node examples/listeners-per-request.js
 */
const { EventEmitter } = require('events');

class EventBus extends EventEmitter {}

class RequestContext {
  constructor(id) {
    this.id = id;
    this.startedAt = Date.now();
    this.payload = Buffer.alloc(1024, `request-${id};`).toString('latin1');
    this.config = null;
  }
}

const eventBus = new EventBus();
let nextId = 1;

function handleRequest() {
  const ctx = new RequestContext(nextId++); // leak:allocates
  // BUG: subscribed per request, never unsubscribed
  eventBus.on('config-changed', function onConfigChanged(config) {
    ctx.config = config;
  });
  return ctx.id;
}

setInterval(handleRequest, 10);
// Configuration changes are rare.
setInterval(() => eventBus.emit('config-changed', { at: Date.now() }), 30000);
