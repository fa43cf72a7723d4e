// The Stock and A/B tabs in Chromium: the sample shop's purchase list (at-risk SKUs first), the
// settings as page controls (a longer lead time raises the reorder points), the purchase list CSV,
// and an A/B readout of two periods of the sample's behaviour log. Screenshots in both languages go
// to tests/artifacts/ (view-stock*.png, view-ab*.png).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, downloadOf, openApp, openView, parseCsv, pickFiles, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

async function withSample(locale, viewport, body) {
  const app = await openApp(env, { locale, viewport });
  try {
    await app.page.click('#try-sample');
    await waitForReport(app.page);
    await app.page.click('.message-close');
    await body(app.page);
    app.assertClean();
  } finally {
    await app.context.close();
  }
}

/** The purchase list's rows as { key: { status, reorder_point } }, in table order. */
async function purchaseRows(page) {
  return page.$$eval('#table-stock tbody tr', (rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent.trim());
      return { key: cells[0], status: cells[2], reorderPoint: cells[9], suggested: cells[10] };
    }),
  );
}

test('the Stock tab lists the sample SKUs at risk first, follows its settings and exports a purchase list', { timeout: 180_000 }, async () => {
  await withSample('en-US', { width: 1440, height: 900 }, async (page) => {
    await openView(page, 'stock');
    const settings = await page.textContent('[data-testid="stock-settings"]');
    assert.match(settings, /Lead time 7 days · Service level 95\.0% \(z = 1\.645\) · Review period 14 days/);
    const rows = await purchaseRows(page);
    assert.ok(rows.length >= 10, `${rows.length} rows`);
    const firstCalm = rows.findIndex((r) => r.status !== 'Reorder now');
    assert.ok(firstCalm > 0, 'the sample has SKUs to reorder, listed first');
    assert.ok(rows.slice(firstCalm).every((r) => r.status !== 'Reorder now'), 'no at-risk SKU after the others');
    assert.ok(await page.isVisible('#chart-stock-demand'));
    assert.match(await page.textContent('[data-testid="stock-forecast-note"]'), /A forecast is a plan, not a fact/);

    // A 30-day lead time raises every reorder point of a SKU that sells.
    const before = Object.fromEntries(rows.map((r) => [r.key, Number(r.reorderPoint.replace(/,/g, ''))]));
    await page.fill('#stock-lead-time', '30');
    await page.dispatchEvent('#stock-lead-time', 'change');
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-settings"]')?.textContent.includes('Lead time 30 days'));
    const after = await purchaseRows(page);
    const risen = after.filter((r) => Number(r.reorderPoint.replace(/,/g, '')) > before[r.key]);
    assert.ok(risen.length > 0, 'reorder points rose');

    const csv = await downloadOf(page, () => page.click('#panel-stock [data-export="csv"][data-target="table-stock"]'));
    const table = parseCsv(new TextDecoder().decode(csv.bytes).replace(/^\uFEFF/, ''));
    assert.ok(table[0].includes('Suggested order'), table[0].join());
    assert.equal(table.length - 1, after.length, 'the CSV has every row');
  });
});

test('an A/B readout of two periods of the sample log, in both languages, with screenshots', { timeout: 240_000 }, async () => {
  for (const [locale, viewport, suffix] of [
    ['zh-CN', { width: 1280, height: 900 }, ''],
    ['en-US', { width: 1440, height: 900 }, '-en'],
  ]) {
    await withSample(locale, viewport, async (page) => {
      await openView(page, 'stock');
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(artifactsDir, `view-stock${suffix}.png`), fullPage: true });

      await openView(page, 'ab');
      assert.ok(await page.isVisible('#panel-ab [data-testid="unavailable-ab"]'), 'asks for two groups first');
      await page.selectOption('[data-testid="ab-by"]', 'period');
      await page.fill('[data-testid="ab-a-from"]', '2025-05-01');
      await page.fill('[data-testid="ab-a-to"]', '2025-05-31');
      await page.fill('[data-testid="ab-b-from"]', '2025-06-01');
      await page.fill('[data-testid="ab-b-to"]', '2025-06-30');
      await page.click('[data-testid="ab-compare"]');
      await page.waitForSelector('#panel-ab [data-testid="ab-verdict"]');
      const verdict = await page.getAttribute('[data-testid="ab-verdict"]', 'data-verdict');
      assert.ok(['b_better', 'a_better', 'not_decisive'].includes(verdict));
      const groups = await page.$$eval('#table-ab tbody tr', (rows) =>
        rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
      );
      assert.equal(groups.length, 2);
      assert.ok(Number(groups[0][2].replace(/,/g, '')) > 0 && Number(groups[1][2].replace(/,/g, '')) > 0, 'both periods have users');
      assert.ok(await page.isVisible('#chart-ab [data-testid="ab-interval-a"]'));
      assert.ok(await page.isVisible('#chart-ab [data-testid="ab-interval-b"]'));
      const sentence = await page.textContent('[data-testid="ab-sentence"]');
      assert.ok(sentence.length > 20, sentence);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(artifactsDir, `view-ab${suffix}.png`), fullPage: true });
    });
  }
});

test('a log with an experiment group column gives its A/B readout without a choice, in both languages', { timeout: 240_000 }, async () => {
  // tests/fixtures/ab_variant_events.csv: control 18 of 151, test 39 of 151 (crate/core/tests/stock_ab.rs).
  for (const [locale, suffix, verdict] of [
    ['zh-CN', '', 'B 更好'],
    ['en-US', '-en', 'B is better'],
  ]) {
    const app = await openApp(env, { locale, viewport: { width: 1280, height: 900 } });
    try {
      await pickFiles(app.page, ['ab_variant_events.csv']);
      const page = app.page;
      await openView(page, 'ab');
      await page.waitForSelector('#panel-ab [data-testid="ab-verdict"]');
      assert.equal(await page.textContent('[data-testid="ab-verdict"]'), verdict);
      const groups = await page.$$eval('#table-ab tbody tr', (rows) =>
        rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
      );
      assert.deepEqual(groups.map((g) => g.slice(1, 4)), [['control', '151', '18'], ['test', '151', '39']]);
      // The form shows the groups the engine chose, and offers the log's groups.
      assert.equal(await page.inputValue('[data-testid="ab-by"]'), 'variant');
      assert.equal(await page.inputValue('[data-testid="ab-a"]'), 'control');
      assert.deepEqual(await page.$$eval('#ab-items option', (o) => o.map((x) => x.value)), ['control', 'test']);
      // Swapping the groups through the form reads the log again.
      await page.fill('[data-testid="ab-a"]', 'test');
      await page.fill('[data-testid="ab-b"]', 'control');
      await page.click('[data-testid="ab-compare"]');
      await page.waitForFunction(() => document.querySelector('#table-ab tbody tr td:nth-child(2)')?.textContent.trim() === 'test');
      assert.equal(await page.getAttribute('[data-testid="ab-verdict"]', 'data-verdict'), 'a_better');
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(artifactsDir, `view-ab-variant${suffix}.png`), fullPage: true });
      app.assertClean();
    } finally {
      await app.context.close();
    }
  }
});
