// Times `leakhound serve`'s page in headless Chromium (Debian's /usr/bin/chromium through the report tests'
// playwright-core: run `npm ci` in leakhound-report/src/test/js once).
//
//   node bench/serve/page.mjs URL CLASS
//
// Prints one line per step, "label|ms": the page drawn with its Summary, CLASS expanded to its first
// instances, five more pages of instances, an instance selected (its retainers and inspector drawn).
import { chromium } from '../../leakhound-report/src/test/js/node_modules/playwright-core/index.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, cls] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'leakhound-bench-'));
const T = { timeout: 120000 };
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.LEAKHOUND_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
  viewport: { width: 1400, height: 1000 } });
try {
  const page = await context.newPage();
  const time = async (label, fn) => {
    const t0 = Date.now();
    await fn();
    console.log(`${label}|${Date.now() - t0}`);
  };
  await time('page: load and draw the Summary', async () => {
    await page.goto(url);
    await page.waitForSelector('table[data-view="summary"][data-loaded="true"] tr.cls', T);
  });
  await time(`page: expand ${cls} (first 100 instances)`, async () => {
    await page.evaluate((c) => [...document.querySelectorAll('tr.cls')].find((r) => r.getAttribute('data-class') === c).click(), cls);
    await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
  });
  await time('page: 5 more pages of instances (100 each)', async () => {
    for (let i = 2; i <= 6; i++) {
      await page.locator('table[data-view="summary"] tr.more-row[data-level="1"] button').click();
      await page.waitForFunction((n) => document.querySelectorAll('table[data-view="summary"] tr.obj[data-level="1"]').length >= n,
        i * 100, T);
    }
  });
  await time('page: select an instance (retainers and inspector drawn)', async () => {
    await page.locator('table[data-view="summary"] tr.obj[data-level="1"]').nth(550).click();
    await page.waitForSelector('table[data-view="retainers"] tr.obj', T);
    await page.waitForSelector('[data-view="inspector"]', T);
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
