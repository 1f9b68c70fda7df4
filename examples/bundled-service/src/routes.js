/* routes.js: the fake request handling of examples/bundled-service (nothing here leaks). */
import { record } from './metrics.js';

const routes = ['/', '/login', '/items', '/items/:id', '/cart'];

export function handle(seq) {
  const route = routes[seq % routes.length];
  const started = Date.now();
  const status = seq % 17 === 0 ? 500 : 200;
  record(route, status, Date.now() - started);
  return status;
}
