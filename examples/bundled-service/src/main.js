/*
 * main.js: examples/bundled-service, a service shipped as one minified esbuild bundle.
 *
 * What it is: every 10 ms it handles a fake request (routes.js), which records a metric sample
 * (metrics.js); every 1000 requests it logs how many samples it holds.
 * What leaks: metrics.js keeps every sample, about 7 MB/min. The running code is dist/service.min.js,
 * a single minified line; leakhound names the lines of these files through dist/service.min.js.map.
 *
 * Run: node examples/bundled-service/dist/service.min.js   (regen.sh rebuilds the bundle)
 */
import { handle } from './routes.js';
import { recorded } from './metrics.js';

let seq = 0;
setInterval(() => {
  seq++;
  handle(seq);
  if (seq % 1000 === 0) {
    process.stdout.write(`${recorded()} samples kept\n`);
  }
}, 10);
