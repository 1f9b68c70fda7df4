// Test target: retains 2000 more objects every 100 ms, forever (a leak).
class LeakyThing { constructor(i) { this.i = i; this.payload = 'x'.repeat(64) + i; } }
const leakRoot = [];
let i = 0;
setInterval(() => { for (let k = 0; k < 2000; k++) leakRoot.push(new LeakyThing(i++)); }, 100);
console.log('ready ' + process.pid);
