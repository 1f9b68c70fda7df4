// Walks `leakhound serve`'s page in headless Chromium over a snapshot with allocation traces and duplicated
// strings (tracked-app.js), for what check-serve.mjs does not cover:
//
//   node check-serve-tracked.mjs MANIFEST.json
//
// MANIFEST: {"url": "http://127.0.0.1:PORT/?token=...",  the URL the server printed
//            "dupText": "duplicated-text-zzz…",           a text the app keeps many copies of
//            "allocClass": "Widget",                      a class whose instances the app made in
//            "allocFunction": "makeWidget"}               this (application) function
//
// The flow: Summary's "Duplicated strings" filter lists dupText, which expands to its copies, and a click on
// a copy inspects it; an instance of allocClass shows its allocation stack with allocFunction marked as the
// first application frame; in Dominators, a click on a treemap cell selects that object (inspector and
// retainers), and the inspector opens it in Dominators (what it keeps alive), then back to the whole tree.
// Fails (exit 1, one line per problem) on a console error or warning, a page error, a request to another
// origin, an answer >= 400, or a step that does not happen within 30 s.
import { runServeChecks, T } from './serve-harness.mjs';

await runServeChecks(async ({ page, m, step, fail }) => {
  await step('page loads and Summary draws', async () => {
    await page.goto(m.url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-api="ready"]', T);
    await page.waitForSelector('table[data-view="summary"][data-loaded="true"] tr.cls', T);
  });
  await step('"Duplicated strings" lists the duplicated text, which expands to its copies', async () => {
    await page.selectOption('#since-select', 'duplicates');
    await page.waitForSelector('table[data-view="summary"][data-since="duplicates"] tr.dup', T);
    const id = await page.evaluate((text) => {
      const row = [...document.querySelectorAll('tr.dup')].find((r) => r.querySelector('td.name').title === text);
      return row ? row.getAttribute('data-text-id') : null;
    }, m.dupText);
    if (!id) throw new Error(`no row for ${m.dupText}`);
    await page.click(`tr.dup[data-text-id="${id}"]`);
    await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
    const copy = page.locator('table[data-view="summary"] tr.obj[data-level="1"]').first();
    const copyId = await copy.getAttribute('data-id');
    await copy.click();
    await page.waitForSelector(`[data-view="inspector"][data-id="${copyId}"]`, T);
    const t = await page.textContent('[data-view="inspector"]');
    if (!t.includes(m.dupText)) fail(`the inspected copy does not show ${m.dupText}`);
  });
  await step('an instance shows the stack that allocated it, the application frame marked', async () => {
    await page.selectOption('#since-select', '');
    await page.fill('#class-filter', m.allocClass);
    await page.waitForFunction((c) => {
      const t = document.querySelector('table[data-view="summary"]');
      return t && t.getAttribute('data-filter') === c && t.getAttribute('data-since') === '';
    }, m.allocClass, T);
    await page.click(`tr.cls[data-class="${m.allocClass}"]`);
    await page.waitForSelector('table[data-view="summary"] tr.obj[data-level="1"]', T);
    const inst = page.locator('table[data-view="summary"] tr.obj[data-level="1"]').first();
    const id = await inst.getAttribute('data-id');
    await inst.click();
    await page.waitForSelector(`[data-view="inspector"][data-id="${id}"] [data-view="allocation"] li`, T);
    const app = await page.textContent('[data-view="allocation"] li[data-app="true"]');
    if (!app.includes(m.allocFunction) || !/tracked-app\.js:\d+:\d+/.test(app)) {
      fail(`the first application frame reads "${app}", expected ${m.allocFunction} at tracked-app.js:line:column`);
    }
  });
  await step('a click on a treemap cell selects its object', async () => {
    await page.click('#tab-dominators');
    await page.waitForSelector('[data-view="treemap"][data-loaded="true"] svg rect[data-id]', T);
    // a real mouse click on an area the pointer can hit (frames hold their children on top)
    const hit = await page.evaluate(() => {
      document.querySelector('[data-view="treemap"]').scrollIntoView();
      for (const r of document.querySelectorAll('[data-view="treemap"] svg rect[data-id]')) {
        const b = r.getBoundingClientRect();
        const x = b.left + b.width / 2, y = b.top + b.height / 2;
        if (b.width > 4 && b.height > 4 && document.elementFromPoint(x, y) === r) return { id: r.getAttribute('data-id'), x, y };
      }
      return null;
    });
    if (!hit) throw new Error('no treemap area to click');
    const id = hit.id;
    await page.mouse.click(hit.x, hit.y);
    await page.waitForSelector(`[data-view="inspector"][data-id="${id}"]`, T);
    await page.waitForSelector('table[data-view="retainers"] tr', T);
    const h = await page.textContent('#retainers');
    if (h.includes('Select an object')) fail('the retainers pane did not follow the treemap click');
  });
  await step('the inspector opens the selected object in Dominators, and back to the whole tree', async () => {
    const id = await page.getAttribute('[data-view="inspector"]', 'data-id');
    await page.click('#open-dominators');
    await page.waitForSelector(`table[data-view="dominators"][data-focus="${id}"][data-loaded="true"] tr.obj[data-level="0"][data-id="${id}"]`, T);
    const kids = await page.evaluate(() => document.querySelectorAll('table[data-view="dominators"] tr.obj').length);
    if (kids < 2) fail(`Dominators below @${id} shows ${kids} rows, expected the object and what it dominates`);
    await page.click('#dominators-all');
    await page.waitForSelector('table[data-view="dominators"][data-focus=""][data-loaded="true"] tr.obj', T);
  });
});
