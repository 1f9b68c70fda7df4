'use strict';
/*
 * dependency-leak/server.js: the application code is right, the leak is inside a dependency.
 *
 * What it is: a job loop that, for every job, subscribes to a topic through the npm package
 * `tiny-registry` (a tiny fake package committed in node_modules/) and unsubscribes when done.
 * What leaks: tiny-registry's unsubscribe() deletes the wrong key, so its module-level Map keeps
 * every Subscription (and the handler closure) forever: ~2,000 per second here.
 * The fix: upgrade or patch the package (delete `sub:${id}`), or stop subscribing per job.
 *
 * Run: node examples/dependency-leak/server.js   (runs until killed)
 */
const registry = require('tiny-registry');

let seq = 0;

function handleJob(n) {
  const id = registry.subscribe(`jobs.${n % 50}`, (msg) => msg.length); // your code calls the package here
  registry.unsubscribe(id);
}

setInterval(() => {
  for (let i = 0; i < 20; i++) handleJob(seq++);
}, 10);
