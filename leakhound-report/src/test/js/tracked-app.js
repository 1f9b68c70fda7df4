// A small Node.js program for `leakhound serve`'s allocation-stack and duplicated-strings tests. Run with
// --track-heap-objects so that the snapshot carries allocation traces:
//
//   node --track-heap-objects tracked-app.js OUT.heapsnapshot
//
// Widget objects are made by makeWidget (called by build), 200 of them kept in globalThis.widgets; 300 equal
// strings (DUP_TEXT), each a fresh copy, are kept in globalThis.dups.
'use strict';
const v8 = require('v8');

class Widget {
  constructor(i) { this.i = i; this.name = 'widget-' + i; }
}
function makeWidget(i) { return new Widget(i); }
function build(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(makeWidget(i));
  return out;
}
globalThis.widgets = build(200);
const DUP_TEXT = 'duplicated-text-' + 'z'.repeat(48);
globalThis.dups = Array.from({ length: 300 }, () => DUP_TEXT.split('').join(''));
v8.writeHeapSnapshot(process.argv[2]);
