// serve-harness.mjs: what the `leakhound serve` page checks share (check-serve.mjs, check-serve-tracked.mjs).
// `runServeChecks(walk)` reads the JSON argument file (process.argv[2], with the page's `url`), opens the page's
// browser (Debian's chromium, or $LEAKHOUND_CHROMIUM) on a fresh profile, fails on a console error or warning, a
// page error, any dialog, a request to another origin or an answer >= 400, runs `walk({ page, m, step, fail, T })`,
// then prints the steps' times and the problems, and exits 1 when there were any.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Every wait of a step: 30 s. */
export const T = { timeout: 30000 };

export async function runServeChecks(walk) {
  const m = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const executablePath = process.env.LEAKHOUND_CHROMIUM || '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'leakhound-chromium-'));
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  const origin = new URL(m.url).origin;
  const problems = [];
  const fail = (s) => problems.push(s);
  const steps = [];
  async function step(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      steps.push({ step: name, ms: Date.now() - t0 });
    } catch (e) {
      fail(`${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
    }
  }
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args,
      viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.on('console', (c) => { if (c.type() === 'error' || c.type() === 'warning') fail(`console ${c.type()}: ${c.text()}`); });
    page.on('pageerror', (e) => fail(`page error: ${e.message}`));
    page.on('dialog', async (d) => { fail(`a dialog opened (${d.type()}: ${d.message()})`); await d.dismiss(); });
    page.on('request', (q) => { if (!q.url().startsWith(origin + '/')) fail(`the page requested ${q.url()}`); });
    page.on('response', (r) => { if (r.status() >= 400) fail(`${r.url().replace(/token=[^&]*/, 'token=…')} answered ${r.status()}`); });
    await walk({ page, m, step, fail, T });
  } catch (e) {
    fail('harness: ' + (e && e.stack ? e.stack : e));
  } finally {
    if (context) await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ steps }));
  for (const p of problems) console.log('FAIL ' + p);
  console.log(problems.length ? `${problems.length} problems` : 'serve page OK');
  process.exit(problems.length ? 1 : 0);
}
