// Walks `leakhound serve`'s page in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
//
//   node check-serve.mjs MANIFEST.json
//
// MANIFEST: {"url": "http://127.0.0.1:PORT/?token=...",   the URL the server printed
//            "leakClass": "RequestRecord",                 the class the app leaks (expanded in Summary)
//            "pathEdge": "leakArray",                      an edge name the instance's retainer path shows
//            "hostile": ["<img src=x onerror=alert(1)>"],  heap strings that must show as text
//            "hostileClass": "...",                        a hostile class name to expand and search for
//            "sinceIndex": 1, "sinceCount": "1,000",       Summary's "allocated between" filter: the earlier
//                                                          snapshot, and the leaking class's count then shown
//            "screenshot": "/abs/out.png" (optional)}
//
// The flow: the page loads and the Summary draws; the leaking class expands to its instances; a click on
// the first instance shows its retainers and its shortest retainer path (with pathEdge) and its inspector;
// expanding a retainer row loads the retainers' retainers; Dominators, Comparison, Statistics, Containment
// and Leaks draw; a search for a hostile string lists it as text. Fails (exit 1, one line per problem) on a
// console error or warning, a page error, any dialog, a request to another origin, an <img> or injected
// <script> element or an on* attribute anywhere, or a step that does not happen within 30 s.
import { runServeChecks, T } from './serve-harness.mjs';

/** Types a class filter and waits until the Summary shows its result. */
async function filterBy(page, text) {
  await page.fill('#class-filter', text);
  await page.waitForFunction((t) => {
    const table = document.querySelector('table[data-view="summary"]');
    return table && table.getAttribute('data-filter') === t;
  }, text, T);
}

await runServeChecks(async ({ page, m, step, fail }) => {
  await step('page loads and Summary draws', async () => {
    await page.goto(m.url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-api="ready"]', T);
    await page.waitForSelector('table[data-view="summary"][data-loaded="true"] tr.cls', T);
  });
  await step('filter the Summary by the leaking class and expand it', async () => {
    await filterBy(page, m.leakClass);
    const row = page.locator(`tr.cls[data-class="${m.leakClass}"]`);
    await row.waitFor(T);
    await row.click();
    await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
  });
  await step('select an instance: retainers, retainer path and inspector show', async () => {
    const inst = page.locator('table[data-view="summary"] tr.obj[data-level="1"]').first();
    const id = await inst.getAttribute('data-id');
    await inst.click();
    await page.waitForSelector('table[data-view="retainers"] tr.obj', T);
    await page.waitForSelector('.paths .chain', T);
    const chain = await page.textContent('.paths');
    if (!chain.includes(m.pathEdge)) fail(`the retainer path does not show ${m.pathEdge}: ${chain.slice(0, 300)}`);
    await page.waitForSelector(`[data-view="inspector"][data-id="${id}"]`, T);
    await page.click('#more-paths');
    await page.waitForFunction(() => document.querySelectorAll('.paths .chain').length > 1, null, T);
  });
  await step('expand a retainer and ignore one', async () => {
    const r = page.locator('table[data-view="retainers"] tr.obj[data-level="0"] .twisty').first();
    await r.click();
    await page.waitForSelector('table[data-view="retainers"] tr.obj[data-level="1"]', T);
    await page.locator('table[data-view="retainers"] tr.obj[data-level="0"] button.link').first().click();
    await page.waitForSelector('.ignored button', T);
    await page.waitForSelector('table[data-view="retainers"] tr.obj', T);
  });
  await step('the "allocated between" filter counts only the newer objects', async () => {
    await page.selectOption('#since-select', String(m.sinceIndex));
    await page.waitForSelector(`table[data-view="summary"][data-since="${m.sinceIndex}"]`, T);
    const t = await page.textContent(`tr.cls[data-class="${m.leakClass}"]`);
    if (!t.includes('\u00D7' + m.sinceCount)) fail(`with the filter, ${m.leakClass} shows "${t}", expected \u00D7${m.sinceCount}`);
    await page.selectOption('#since-select', '');
    await page.waitForSelector('table[data-view="summary"][data-since=""]', T);
  });
  for (const tab of ['dominators', 'containment', 'comparison']) {
    await step(`${tab} draws`, async () => {
      await page.click(`#tab-${tab}`);
      await page.waitForSelector(`[data-view="${tab}"][data-loaded="true"] tr`, T);
    });
  }
  await step('comparison lists the leaking class', async () => {
    const t = await page.textContent('[data-view="comparison"]');
    if (!t.includes(m.leakClass)) fail(`comparison does not list ${m.leakClass}`);
  });
  await step('dominators expand', async () => {
    await page.click('#tab-dominators');
    await page.waitForSelector('[data-view="dominators"][data-loaded="true"] tr.obj', T);
    await page.locator('[data-view="dominators"] tr.obj[data-level="0"] .twisty').first().click();
    await page.waitForSelector('[data-view="dominators"] tr.obj[data-level="1"]', T);
    await page.waitForSelector('[data-view="treemap"][data-loaded="true"] svg rect', T);
  });
  await step('statistics draws', async () => {
    await page.click('#tab-statistics');
    await page.waitForSelector('[data-view="statistics"][data-loaded="true"]', T);
  });
  await step('leaks draws', async () => {
    await page.click('#tab-leaks');
    await page.waitForSelector('[data-view="diagnosis"][data-loaded="true"]', T);
    if (m.series) await page.waitForSelector('[data-view="leaks"][data-loaded="true"]', T);
  });
  await step('search finds the hostile strings and shows them as text', async () => {
    await page.click('#tab-search');
    await page.fill('#search-input', 'onerror');
    await page.click('#search-go');
    await page.waitForSelector('[data-view="search"][data-loaded="true"] tr.obj', T);
  });
  await step('a hostile class name expands in Summary as text', async () => {
    await page.click('#tab-summary');
    await filterBy(page, m.hostileClass);
    await page.evaluate((c) => [...document.querySelectorAll('tr.cls')].find((r) => r.getAttribute('data-class') === c).click(), m.hostileClass);
    await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
    await page.locator('table[data-view="summary"] tr.obj[data-level="1"]').first().click();
    await page.waitForSelector('[data-view="inspector"]', T);
    await page.waitForSelector('table[data-view="edges"] tr', T);
  });
  await step('hostile heap strings are text, never markup', async () => {
    const body = await page.textContent('body');
    const bad = await page.evaluate(() => {
      const out = [];
      if (document.querySelector('img')) out.push('an <img> element');
      const scripts = [...document.querySelectorAll('script')].map((s) => s.getAttribute('src') || s.type);
      if (scripts.some((s) => !['common.js', 'serve.js', 'application/json'].includes(s))) out.push('a script element ' + scripts.join(','));
      for (const e of document.querySelectorAll('*')) {
        for (const a of e.attributes) if (a.name.startsWith('on')) out.push(`${e.tagName} has ${a.name}`);
      }
      return out;
    });
    bad.forEach((b) => fail(b));
    for (const h of m.hostile) if (!body.includes(h)) fail(`the page does not show ${JSON.stringify(h)} as text`);
  });
  if (m.screenshot) {
    await step('screenshot', async () => {
      await filterBy(page, m.leakClass);
      await page.locator(`tr.cls[data-class="${m.leakClass}"]`).click();
      await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
      await page.locator('table[data-view="summary"] tr.obj[data-level="1"]').nth(2).click();
      await page.waitForSelector('.paths .chain', T);
      await page.waitForSelector('table[data-view="retainers"] tr.obj', T);
      await page.screenshot({ path: m.screenshot });
    });
  }
});
