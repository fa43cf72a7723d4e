// Several currencies on the page, in headless Chromium: a USD Shopify export and a CNY Taobao
// report dropped together. The Overview shows one currency's figures (never their sum), the
// currency switch changes it, the rates form converts to one currency (totals checked against the
// hand computation of tests/../crate/core/tests/currency.rs), every money view states the rates,
// and the Data tab shows each file's currency. Screenshots in English and Chinese.
//
// Run `npm run build` (or `node scripts/build.mjs --dev`) first. Screenshots go to tests/artifacts/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  artifactsDir,
  digitsOf,
  dropFiles,
  expected,
  fixturesDir,
  kpi,
  openApp,
  openView,
  startBrowser,
  waitForReport,
} from './harness.mjs';

const USD = 'shopify_orders.csv';
const CNY = 'taobao_orders_gbk.csv';
/** 8 Shopify orders at 7.1 CNY per USD, each rounded half away from zero to the fen (by hand). */
const USD_IN_CNY = 25304 + 75324 + 48344 + 28436 + 11523 + 45341 + 59179 + 25070;

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

/** Waits until the GMV card's full value has `digits` digits (after a re-analysis). */
async function waitForGmv(page, digits) {
  await page.waitForFunction(
    (want) => {
      const card = document.querySelector('#panel-overview [data-testid="kpi-gmv"]');
      return card && Number(card.getAttribute('title').replace(/[^\d]/g, '')) === want && !document.body.classList.contains('busy');
    },
    digits,
    { timeout: 60_000 },
  );
}

describe('currencies', () => {
  test('a USD and a CNY export: one currency at a time, the switch, the rates, each file\'s currency', async () => {
    const app = await openApp(env, { locale: 'en-US', viewport: { width: 1280, height: 1000 } });
    const { page } = app;
    try {
      const files = await Promise.all(
        [USD, CNY].map(async (name) => ({ name, bytes: await readFile(join(fixturesDir, name)) })),
      );
      await dropFiles(page, files);
      await waitForReport(page);

      // Without rates: the CNY report (more paid orders), never the sum of the two.
      const cnyGmv = expected[CNY].gmv_cents;
      const usdGmv = expected[USD].gmv_cents;
      assert.equal(digitsOf(await kpi(page, 'gmv')), cnyGmv);
      assert.match(await kpi(page, 'gmv'), /^¥/);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), expected[CNY].paid_orders);
      const controls = page.locator('#currency-controls');
      assert.ok(await controls.isVisible(), 'the currency switch shows');
      assert.equal(await page.inputValue('#currency-choice'), 'CNY');
      assert.deepEqual(await page.$$eval('#currency-choice option', (os) => os.map((o) => o.value)), ['CNY', 'USD']);
      const line = page.locator('#panel-overview [data-testid="currency-line"]');
      assert.equal(await line.getAttribute('data-mode'), 'per_currency');
      assert.match(await line.textContent(), /2 currencies.*CNY \(20 orders\).*USD: 10 orders/);

      // The switch: the USD report.
      await page.selectOption('#currency-choice', 'USD');
      await waitForGmv(page, usdGmv);
      assert.match(await kpi(page, 'gmv'), /^\$/);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), expected[USD].paid_orders);
      await page.screenshot({ path: join(artifactsDir, 'currency-switch.png'), fullPage: true });

      // Rates: everything in CNY, each USD order converted and rounded on its own.
      await page.selectOption('#currency-choice', 'CNY');
      await waitForGmv(page, cnyGmv);
      await page.fill('[data-testid="rate-USD/CNY"]', '7.1');
      await page.click('#currency-controls button[type="submit"]');
      await waitForGmv(page, cnyGmv + USD_IN_CNY);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), expected[CNY].paid_orders + expected[USD].paid_orders);
      assert.equal(await line.getAttribute('data-mode'), 'converted');
      assert.match(await line.textContent(), /converted to CNY.*USD\/CNY = 7\.1/);
      assert.equal(await page.inputValue('[data-testid="rate-USD/CNY"]'), '7.1', 'the rate stays in the form');
      await page.screenshot({ path: join(artifactsDir, 'currency-converted-en.png'), fullPage: true });
      // Every money view states the rates.
      for (const view of ['cohorts', 'customers', 'products']) {
        await openView(page, view);
        const text = await page.textContent(`#panel-${view} [data-testid="currency-line"]`);
        assert.match(text, /USD\/CNY = 7\.1/, view);
      }

      // The Data tab: each file's currency and how it was found.
      await openView(page, 'loads');
      const found = await page.$$eval('#file-currencies .file-currency', (rows) =>
        rows.map((row) => [row.querySelector('.file-name').textContent, row.querySelector('.found').textContent]),
      );
      assert.deepEqual(found, [
        [USD, 'USD · from the currency column'],
        [CNY, 'CNY · from the platform'],
      ]);
      await page.screenshot({ path: join(artifactsDir, 'currency-data-en.png'), fullPage: true });

      // In Chinese.
      await page.click('.lang-switch [data-lang="zh-CN"]');
      await openView(page, 'overview');
      await page.waitForFunction(() =>
        /已按您填写的汇率换算为 CNY/.test(document.querySelector('#panel-overview [data-testid="currency-line"]')?.textContent ?? ''),
      );
      assert.match(await page.textContent('#currency-controls'), /报表币种/);
      await page.screenshot({ path: join(artifactsDir, 'currency-converted-zh.png'), fullPage: true });

      // "Don't convert" goes back to one currency at a time.
      await page.click('#currency-controls button[type="reset"]');
      await waitForGmv(page, cnyGmv);
      await page.screenshot({ path: join(artifactsDir, 'currency-per-currency-zh.png'), fullPage: true });

      // Setting the Shopify file's currency to CNY by hand: one currency again, the switch goes away.
      await openView(page, 'loads');
      await page.selectOption(`#file-currencies select[data-file="${USD}"]`, 'CNY');
      await page.waitForFunction(() => /set by you|您选择的/.test(document.getElementById('file-currencies').textContent));
      await openView(page, 'overview');
      await waitForGmv(page, cnyGmv + usdGmv);
      assert.ok(!(await controls.isVisible()), 'one currency: no switch');
      app.assertClean();
    } finally {
      await app.context.close();
    }
  });

  test('an export that names no currency shows its amounts without a symbol and says so', async () => {
    const app = await openApp(env, { locale: 'en-US' });
    const { page } = app;
    try {
      const csv = 'Order ID,Order Date,Customer,Amount\nA1,2025-01-02,c1,12.50\nA2,2025-01-03,c2,7.25\n';
      await dropFiles(page, [{ name: 'plain.csv', bytes: Buffer.from(csv) }]);
      await waitForReport(page);
      const gmv = await kpi(page, 'gmv');
      assert.equal(digitsOf(gmv), 1975);
      assert.match(gmv, /^[\d]/, `no currency symbol: ${gmv}`);
      const line = page.locator('#panel-overview [data-testid="currency-line"]');
      assert.match(await line.textContent(), /Currency not stated/);
      app.assertClean();
    } finally {
      await app.context.close();
    }
  });
});
