// Load for bench/alloc/run.sh: POSTs small JSON orders to http://127.0.0.1:PORT/ with CONC requests in flight
// for SECONDS seconds (keep-alive), then prints {"requests":N,"seconds":S,"rps":R,"errors":E} on stdout.
'use strict';
const http = require('http');
const [port, seconds = '10', conc = '8'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
const body = JSON.stringify({ lines: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 3 }] });
const end = Date.now() + Number(seconds) * 1000;
const start = Date.now();
let done = 0, errors = 0, active = 0;
function one() {
  if (Date.now() >= end) {
    if (--active === 0) {
      const s = (Date.now() - start) / 1000;
      console.log(JSON.stringify({ requests: done, seconds: s, rps: Math.round(done / s), errors }));
      agent.destroy();
    }
    return;
  }
  const req = http.request({ host: '127.0.0.1', port: Number(port), path: '/orders', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => { done++; one(); });
  });
  req.on('error', () => { errors++; setTimeout(one, 10); });
  req.end(body);
}
for (let i = 0; i < Number(conc); i++) { active++; one(); }
