// A small Node.js program whose heap holds hostile strings, for the HTML report tests:
// class names, property keys, Map keys and string values that are HTML/script markup.
//
//   node hostile-app.js DIR [leak|stable] [snapshots] [perStep]
//
// Writes DIR/s1.heapsnapshot ... one per step. In "leak" mode two arrays keep growing (one of
// RequestRecord objects, one of objects of a class named "<script>alert(1)</script>" under a
// property named "\"><img src=x onerror=alert(1)>"); in "stable" mode the same structures are
// filled once and then only replaced, so nothing grows.
'use strict';
const v8 = require('v8');
const path = require('path');

const dir = process.argv[2];
const mode = process.argv[3] || 'leak';
const snapshots = Number(process.argv[4] || 3);
const perStep = Number(process.argv[5] || 1500);

// String-literal keys name the classes: V8 records these names as the constructors' names.
const Hostile = { '<script>alert(1)</script>': class {} }['<script>alert(1)</script>'];
const Img = { '"><img src=x onerror=alert(1)>': class {} }['"><img src=x onerror=alert(1)>'];
class RequestRecord {
  constructor(i) { this.id = i; this.body = 'payload-' + i + '-' + 'x'.repeat(200); this.tags = [i, i + 1]; }
}
const leakArray = [];
const holder = {
  '"><img src=x onerror=alert(1)>': [],
  '</script><script>alert(2)</script>': new Map(),
};
globalThis.leakArray = leakArray;
globalThis.holder = holder;
globalThis['<svg onload=alert(6)>'] = '<iframe src="javascript:alert(7)"></iframe>';

function add(n) {
  for (let i = 0; i < n; i++) {
    leakArray.push(new RequestRecord(leakArray.length));
    const h = new Hostile();
    h['<b>key</b>'] = '<script>alert(3)</script>' + i;
    h.next = new Img();
    holder['"><img src=x onerror=alert(1)>'].push(h);
    holder['</script><script>alert(2)</script>'].set('<img src=x onerror=alert(4)>' + (i % 50), { v: i });
  }
}

for (let s = 1; s <= snapshots; s++) {
  if (mode === 'leak' || s === 1) {
    add(perStep);
  } else {
    // replace, do not grow
    leakArray.length = 0;
    holder['"><img src=x onerror=alert(1)>'].length = 0;
    add(perStep);
  }
  v8.writeHeapSnapshot(path.join(dir, `s${s}.heapsnapshot`));
}
