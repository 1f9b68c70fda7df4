// Opens leakhound HTML reports in headless Chromium and checks them.
//
//   node check-reports.mjs MANIFEST.json
//
// MANIFEST: {"reports": [{
//    "file": "/abs/report.html",
//    "expect": [{"selector": "[data-key=totalBytes]", "value": "123", "text": "123 B"}],
//        element's data-value must equal value; its text must contain text (both from the JSON output)
//    "literal": ["<script>alert(1)</script>"],   strings that must appear as text in the page
//    "interact": "analyze" | "find-leaks" | "diff" | "watch" | "profile",  exercise the page's controls too
//    "search": "text"                             (profile) what to search in the flame graph
//    "click": "CSS selector",                     click each match before looking for the literal texts
//    "screenshot": "/abs/out.png", "dark": true, "width": 1280, "height": 900, "fullPage": false
// }]}
//
// Fails (exit 1, one line per problem) on: a console error or warning, an uncaught page error, any
// dialog (alert/confirm/prompt), any request other than the report file itself, a page that does not
// reach data-ready="true", an expectation not met, an <img> or injected <script> element, or an
// on* attribute anywhere. Prints one JSON line per report with the time it took to draw.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const executablePath = process.env.LEAKHOUND_CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'leakhound-chromium-'));
// the machine's network is closed: keep Chromium from trying to reach anything
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const problems = [];
let context;
try {
  context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args,
    viewport: { width: 1280, height: 900 } });
  for (const r of manifest.reports) {
    await check(r);
  }
} catch (e) {
  problems.push('harness: ' + (e && e.stack ? e.stack : e));
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const p of problems) console.log('FAIL ' + p);
console.log(problems.length ? `${problems.length} problems` : 'all reports OK');
process.exit(problems.length ? 1 : 0);

async function check(r) {
  const name = r.file.split('/').pop();
  const fail = (m) => problems.push(`${name}: ${m}`);
  const page = await context.newPage();
  const url = pathToFileURL(r.file).href;
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') fail(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('dialog', async (d) => { fail(`a dialog opened (${d.type()}: ${d.message()})`); await d.dismiss(); });
  page.on('request', (q) => { if (q.url() !== url) fail(`the page requested ${q.url()}`); });
  await page.setViewportSize({ width: r.width || 1280, height: r.height || 900 });
  await page.emulateMedia({ colorScheme: r.dark ? 'dark' : 'light' });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready]', { state: 'attached', timeout: 30000 });
  const ready = await page.evaluate(() => ({ state: document.documentElement.getAttribute('data-ready'), ms: performance.now() }));
  const wallMs = Date.now() - t0;
  if (ready.state !== 'true') fail(`the page did not draw (data-ready=${ready.state}): ` + await page.textContent('#report'));

  for (const x of r.expect || []) {
    const got = await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return el ? { value: el.getAttribute('data-value'), text: el.textContent } : null;
    }, x.selector);
    if (!got) { fail(`no element ${x.selector}`); continue; }
    if (x.value !== undefined && got.value !== String(x.value)) fail(`${x.selector}: data-value ${got.value}, JSON says ${x.value}`);
    if (x.text !== undefined && !got.text.includes(x.text)) fail(`${x.selector}: shows "${got.text}", expected "${x.text}"`);
  }

  if (r.interact === 'analyze') {
    // the diagnosis section shows its verdict (from the page's own data)
    const verdict = await page.evaluate(() => {
      const d = JSON.parse(document.getElementById('leakhound-data').textContent);
      return d.diagnosis ? d.diagnosis.verdict : null;
    });
    const shown = await page.textContent('#diagnosis').catch(() => null);
    if (verdict === null) fail('the analyze page carries no diagnosis');
    else if (!shown || !shown.includes(verdict)) fail('the diagnosis section does not show its verdict');
    // sort, filter, drill into the treemap, expand a path
    await page.click('#classes th:nth-child(2)');
    const firstSorted = await page.textContent('#classes tbody tr:first-child td:nth-child(2)');
    if (!firstSorted) fail('sorting the class table emptied it');
    await page.fill('#classes input[type=search]', 'array');
    const rows = await page.$$eval('#classes tbody tr td:first-child', (tds) => tds.map((t) => t.textContent.toLowerCase()));
    if (!rows.length || rows.some((t) => !t.includes('array'))) fail('the class filter did not filter: ' + rows.slice(0, 5).join(' | '));
    const before = await page.$$eval('.crumbs button', (b) => b.length);
    const open = await page.$('.treemap rect.cell.frame');
    if (!open) fail('the treemap has no area to open');
    else {
      // a real mouse click at its center, which lands on an area inside it (that opens it too)
      await open.scrollIntoViewIfNeeded();
      const b = await open.boundingBox();
      await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
      const after = await page.$$eval('.crumbs button', (b) => b.length);
      if (after <= before) fail(`clicking a treemap area did not drill down (${before} -> ${after} crumbs)`);
      await page.click('.treemap-tools button:first-child');   // Up
    }
    await page.fill('#classes input[type=search]', '');
  }
  if (r.interact === 'find-leaks') {
    const leaks = await page.$$eval('[data-leak]', (e) => e.length);
    const charts = await page.$$eval('[data-leak] svg.chart path.line', (e) => e.length);
    if (charts < 2 * leaks) fail(`each leak should have two growth charts (${leaks} leaks, ${charts} lines)`);
    const chains = await page.$$eval('[data-leak] .chain .node', (e) => e.length);
    if (leaks && !chains) fail('no retainer path chain drawn');
  }

  if (r.interact === 'diff') {
    // the size-delta chart has bars; sort by # new, then filter by a class name from the table
    const bars = await page.$$eval('#delta-chart .diverge .bar', (e) => e.length);
    if (!bars) fail('the size-delta chart has no bars');
    await page.click('#classes th:nth-child(2)');
    const news = await page.$$eval('#classes tbody tr td:nth-child(2)', (tds) => tds.map((t) => Number(t.textContent.replace(/,/g, ''))));
    if (!news.length || news.some((v, i) => i && v > news[i - 1])) fail('sorting by # new did not sort: ' + news.slice(0, 8).join(' '));
    const name = await page.textContent('#classes tbody tr:first-child td:first-child');
    await page.fill('#classes input[type=search]', name);
    const rows = await page.$$eval('#classes tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
    if (!rows.length || rows.some((t) => !t.toLowerCase().includes(name.toLowerCase()))) fail('the class filter did not filter: ' + rows.slice(0, 5).join(' | '));
    await page.fill('#classes input[type=search]', '');
  }
  if (r.interact === 'watch') {
    const lines = await page.$$eval('#memory svg.chart path.line', (e) => e.length);
    if (lines < 4) fail(`the memory chart should draw rss, heapTotal, heapUsed and external (${lines} lines)`);
    const gcs = await page.$$eval('#gc svg.chart', (e) => e.length);
    if (!gcs) fail('no GC pause chart');
  }

  if (r.interact === 'profile') {
    // the flame graph draws bars; search highlights exactly the bars whose function or script matches;
    // clicking a bar zooms to it (it spans the width); hovering shows bytes and share
    await page.waitForSelector('#flame .fr', { timeout: 10000 }).catch(() => {});
    const bars = await page.$$eval('#flame .fr', (e) => e.length);
    if (bars < 3) fail(`the flame graph drew ${bars} bars`);
    const q = r.search || 'alloc';
    await page.fill('#flame input[type=search]', q);
    const hits = await page.$$eval('#flame .fr.match', (e) => e.map((x) => x.textContent));
    const said = await page.getAttribute('#flame [data-key=matches]', 'data-value');
    if (!hits.length) fail(`searching "${q}" highlighted nothing`);
    if (String(hits.length) !== said) fail(`searching "${q}": ${hits.length} bars highlighted, the page says ${said}`);
    const found = await page.textContent('#flame .flame-found');
    if (!/frames match: .+ of all sampled bytes/.test(found)) fail('the search does not say what it found: ' + found);
    // the narrowest highlighted bar: a click must widen it to the whole width
    const narrow = await page.$$eval('#flame .fr.match', (e) => e.map((x) => [x.getAttribute('data-node'), parseFloat(x.style.width)])
      .sort((a, b) => a[1] - b[1])[0]);
    const hit = narrow ? await page.$(`#flame .fr[data-node="${narrow[0]}"]`) : null;
    if (hit) {
      await hit.hover();
      const tip = await page.$eval('#flame .flame-tip', (e) => ({ shown: getComputedStyle(e).display !== 'none', text: e.textContent }));
      if (!tip.shown || !/total .+ of all\)/.test(tip.text) || !/self /.test(tip.text)) fail('hovering a bar shows no tooltip with bytes and share: ' + tip.text);
      const node = narrow[0];
      if (!(narrow[1] < 99.99)) fail(`every highlighted bar already spans the width (${narrow[1]}%): nothing to zoom`);
      await hit.click();
      const zoomed = await page.$eval(`#flame .fr[data-node="${node}"]`, (e) => parseFloat(e.style.width)).catch(() => null);
      if (zoomed !== 100) fail(`clicking a bar did not zoom to it (its width is ${zoomed}%)`);
      const crumbs = await page.$$eval('#flame .crumbs button', (b) => b.length);
      if (crumbs < 2) fail('zooming shows no way back (crumbs)');
      await page.click('#flame .crumbs button:first-child');
      const out = await page.$eval('#flame button.flame-reset', (b) => b.disabled);
      const crumbsAfter = await page.$$eval('#flame .crumbs button', (b) => b.length);
      if (!out || crumbsAfter !== 1) fail('zooming out did not return to the whole profile');
    }
    await page.fill('#flame input[type=search]', '');
    const left = await page.$$eval('#flame .fr.match', (e) => e.length);
    if (left) fail('clearing the search left bars highlighted');
  }
  if (r.click) {   // e.g. unfold every folded retainer path
    for (const b of await page.$$(r.click)) await b.click();
  }
  for (const s of r.literal || []) {
    const has = await page.evaluate((t) => document.body.textContent.includes(t), s);
    if (!has) fail(`the text ${JSON.stringify(s)} does not appear literally`);
  }
  const dom = await page.evaluate(() => {
    let onAttrs = 0;
    for (const el of document.querySelectorAll('*')) for (const a of el.attributes) if (/^on/i.test(a.name)) onAttrs++;
    return { imgs: document.querySelectorAll('img, iframe, object, embed').length, scripts: document.scripts.length, onAttrs,
      alerted: window.__alerted === true };
  });
  if (dom.imgs) fail(`${dom.imgs} img/iframe/object elements in the page (injected markup)`);
  if (dom.scripts !== 2) fail(`${dom.scripts} script elements (expected the data block and the report script)`);
  if (dom.onAttrs) fail(`${dom.onAttrs} on* attributes in the page`);

  if (r.screenshot) {
    await page.screenshot({ path: r.screenshot, fullPage: !!r.fullPage });
  }
  console.log(JSON.stringify({ report: name, drawnMs: Math.round(ready.ms), wallMs }));
  await page.close();
}
