// Test target: allocates as much as leaky.js, but keeps a bounded set: a fixed ring of 5000 objects plus a
// batch buffer flushed every second (its heap after a full GC goes up and down, never up for long).
class Item { constructor(i) { this.i = i; this.payload = 'x'.repeat(64) + i; } }
const ring = new Array(5000).fill(null);
let batch = [];
let i = 0;
setInterval(() => {
  for (let k = 0; k < 2000; k++) { const it = new Item(i++); ring[i % ring.length] = it; batch.push(it.payload); }
}, 100);
setInterval(() => { batch = []; }, 1000);
console.log('ready ' + process.pid);
