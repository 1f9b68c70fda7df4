'use strict';
/*
 * listeners-removed.js: busy but healthy: listeners added and removed.
 *
 * What it is: the same shape as listeners-per-request.js: every 10 ms a simulated request subscribes
 * to the long-lived `eventBus` ('config-changed') with a closure over its RequestContext (~1 KB).
 * It also waits for its own 'done:<id>' event with `once`.
 * Why it does not leak: when the request finishes (20 ms later) it calls
 * `eventBus.off('config-changed', onConfigChanged)`, and the `once` listener removes itself when
 * 'done:<id>' is emitted, so the bus holds only the few requests in flight.
 *
 * Run: node examples/listeners-removed.js
 */
const { EventEmitter } = require('events');

class EventBus extends EventEmitter {}

class RequestContext {
  constructor(id) {
    this.id = id;
    this.payload = Buffer.alloc(1024, `request-${id};`).toString('latin1');
    this.config = null;
    this.finished = false;
  }
}

const eventBus = new EventBus();
let nextId = 1;

function handleRequest() {
  const ctx = new RequestContext(nextId++);
  function onConfigChanged(config) {
    ctx.config = config;
  }
  eventBus.on('config-changed', onConfigChanged);
  eventBus.once(`done:${ctx.id}`, () => {
    ctx.finished = true;
  });
  setTimeout(() => {
    eventBus.off('config-changed', onConfigChanged);
    eventBus.emit(`done:${ctx.id}`);
  }, 20);
}

setInterval(handleRequest, 10);
setInterval(() => eventBus.emit('config-changed', { at: Date.now() }), 1000);
