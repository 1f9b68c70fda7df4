'use strict';
/*
 * closure-context.js: the shared closure context chain (Meteor's "replaceThing", 2013).
 *
 * What it is: `replaceThing()` runs every 100 ms and replaces `theThing` with a new object
 * `{ longStr, someMethod }`.
 * What leaks: V8 gives all closures created in one function invocation a single shared Context.
 * `unused` refers to `originalThing`, so `originalThing` lives in that Context; `someMethod` does
 * not use it, but it shares the Context, so each new theThing retains the previous theThing via
 * `theThing.someMethod -> context -> originalThing`, forming an ever-longer linked chain of
 * objects each holding a 20 KB `longStr`. About 11-12 MB/min.
 * The fix: break the link at the end of replaceThing (`originalThing = null`), or move the code
 * that needs `originalThing` out of the function that creates `someMethod`.
 *
 * Run: node examples/closure-context.js
 */

let theThing = null;
let counter = 0;

function replaceThing() {
  let originalThing = theThing;
  const unused = function () {
    if (originalThing) console.log('hi');
  };
  counter++;
  theThing = { // leak:allocates
    // The 2013 original used `new Array(1000000).join('*')`; V8 now builds that lazily as a small
    // cons-string tree, so the string is made flat here to really cost 20 KB.
    longStr: Buffer.alloc(20000, '*').toString('latin1') + counter,
    someMethod: function () {
      return counter;
    },
  };
}

setInterval(replaceThing, 100);
