// The mapping editor is never a dead end (issue 11): a file whose header matched nothing gets the
// kind chooser and a role per column, and mapping it by hand yields figures; a doubtful role asks
// to be confirmed; corrections are remembered for the header layout across a reload and
// forgotten with "forget"; a downloaded mapping file loads back; a file that gave the views
// nothing is named once in a banner whose button opens its mapping.
//
// Everything here is the engine's own output (no simulated report).
//
// Run `npm run build` first (the page loads www/pkg/).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  digitsOf,
  downloadOf,
  dropFiles,
  expected,
  fixturesDir,
  kpi,
  openApp,
  openView,
  parseCsv,
  pickFiles,
  startBrowser,
  waitForReport,
} from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

/** A header that matches no export; mapped by hand its rows are 3 paid orders of 2 buyers, ¥49.75. */
const MYSTERY = Buffer.from(
  'foo,bar,baz,qux\nA1,2025-03-01 10:00:00,12.50,a\nA2,2025-03-02 11:30:00,30.00,b\nA3,2025-03-05 09:15:00,7.25,a\n',
);
const MYSTERY_ROLES = { foo: 'order_id', bar: 'created_time', baz: 'paid_amount', qux: 'customer_id' };
/** Cryptic headers: `amt` is a guess of the engine's. */
const CRYPTIC = Buffer.from('order,ts,amt,who\nA1,2025-03-01 10:00:00,12.50,a@x.com\nA2,2025-03-02 11:30:00,30.00,b@x.com\n');
/** A status the engine does not know (奇怪状态), and an order of two rows repeating its amount. */
const STATUSES = Buffer.from(
  '订单编号,买家会员名,买家实际支付金额,订单付款时间,订单状态,宝贝标题\n' +
    '1001,alice,10.00,2025-03-01 10:00:00,交易成功,衬衫\n' +
    '1001,alice,10.00,2025-03-01 10:00:00,交易成功,裤子\n' +
    '1002,bob,20.00,2025-03-02 10:00:00,奇怪状态,帽子\n' +
    '1003,carol,5.00,,等待买家付款,袜子\n',
);

/** A fresh page; it is checked clean (no error, dialog or off-host request) at the end. */
async function withPage(body) {
  const app = await openApp(env);
  try {
    await body(app);
    app.assertClean();
  } finally {
    await app.context.close();
  }
}

/** Σ of a money column over paid rows of a GBK order report, in cents: the naive reference. */
async function gbkColumnSum(file, amountHeader, paidHeader) {
  const text = new TextDecoder('gbk').decode(await readFile(join(fixturesDir, file)));
  const [header, ...rows] = parseCsv(text).filter((row) => row.length > 1);
  const column = (name) => header.findIndex((h) => h.trim() === name);
  const amount = column(amountHeader);
  const paid = column(paidHeader);
  return rows
    .filter((row) => row[0] !== '合计' && row[paid].trim() !== '')
    .reduce((sum, row) => {
      const [units, cents = '0'] = row[amount].split('.');
      return sum + Number(units) * 100 + Number(cents.padEnd(2, '0'));
    }, 0);
}

async function reloadApp(page) {
  await page.reload();
  await page.waitForFunction(() => !document.getElementById('try-sample').disabled, null, { timeout: 20_000 });
}

/** Opens the Data tab with file `i`'s mapping unfolded. */
async function openMappingOf(page, i = 0) {
  await openView(page, 'loads');
  const panel = page.locator(`[data-testid="load-${i}"]`);
  const details = panel.locator('details.mapping-details');
  if ((await details.count()) && !(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  return panel;
}

/** The Taobao correction of app.test.mjs: 总金额 as the paid amount, 买家实际支付金额 ignored. */
async function correctTaobao(page) {
  const panel = await openMappingOf(page);
  await panel.locator('select[data-override="column"][data-header="买家实际支付金额"]').selectOption('');
  await panel.locator('select[data-override="column"][data-header="总金额"]').selectOption('paid_amount');
  await page.click('#mapping-apply');
  await waitForReport(page);
}

async function roleOf(page, header, i = 0) {
  return page.locator(`[data-testid="load-${i}"] select[data-override="column"][data-header="${header}"]`).inputValue();
}

describe('an unrecognised file', () => {
  test('gets the kind chooser and a role per column; mapped by hand it yields figures', async () => {
    await withPage(async ({ page }) => {
      await dropFiles(page, [{ name: 'mystery.csv', bytes: MYSTERY }]);
      await waitForReport(page);
      // The banner names the one cause; the views defer to it instead of guessing.
      const banner = page.locator('#blocker [data-testid="blocker-0"]');
      assert.equal(await banner.getAttribute('data-code'), 'unrecognised_header');
      assert.match(await banner.textContent(), /mystery\.csv/);
      await openView(page, 'overview');
      assert.ok(await page.locator('#panel-overview .unavailable.deferred').count(), 'the overview defers');
      // Its button opens the Data tab at the file's kind chooser.
      await page.click('[data-testid="blocker-0-action"]');
      await page.waitForSelector('#panel-loads:not([hidden]) [data-testid="load-0"]');
      const kind = page.locator('[data-testid="load-0"] select[data-override="kind"]');
      assert.equal(await kind.inputValue(), '', 'the kind starts on “choose”');
      assert.ok(await kind.evaluate((select) => select === document.activeElement), 'the kind chooser has the focus');
      for (const header of Object.keys(MYSTERY_ROLES)) assert.equal(await roleOf(page, header), '');

      await kind.selectOption('orders');
      for (const [header, role] of Object.entries(MYSTERY_ROLES)) {
        await page.locator(`[data-testid="load-0"] select[data-override="column"][data-header="${header}"]`).selectOption(role);
      }
      assert.match(await page.textContent('#mapping-pending'), /5/);
      await page.click('#mapping-apply');
      await waitForReport(page);
      assert.ok(await page.locator('#blocker').isHidden(), 'no banner once the file is read');
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), 4975);
      assert.equal(digitsOf(await kpi(page, 'paid_orders')), 3);
      assert.equal(digitsOf(await kpi(page, 'buyers')), 2);
      // The corrections are remembered for this header, whatever the file is called.
      await reloadApp(page);
      await dropFiles(page, [{ name: 'mystery-april.csv', bytes: MYSTERY }]);
      await waitForReport(page);
      assert.equal(digitsOf(await kpi(page, 'gmv')), 4975);
      await openView(page, 'loads');
      assert.match(await page.textContent('[data-testid="saved-mapping-mystery-april.csv"]'), /saved mapping was applied/);
    });
  });
});

describe('remembered corrections', () => {
  test('a correction is applied again after a reload for the same header, and forgotten with “forget”', async () => {
    await withPage(async ({ page }) => {
      const facts = expected['taobao_orders_gbk.csv'];
      const wanted = await gbkColumnSum('taobao_orders_gbk.csv', '总金额', '订单付款时间');
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      await correctTaobao(page);
      const notice = page.locator('[data-testid="saved-mapping-taobao_orders_gbk.csv"]');
      assert.match(await notice.textContent(), /remembered/);

      await reloadApp(page);
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      assert.equal(digitsOf(await kpi(page, 'gmv')), wanted, 'the saved mapping was applied on loading');
      await openView(page, 'loads');
      assert.match(await notice.textContent(), /saved mapping was applied/);
      assert.equal(await roleOf(page, '总金额'), 'paid_amount');

      await notice.locator('button[data-mapping-action="forget"]').click();
      await waitForReport(page);
      assert.equal(await notice.count(), 0);
      assert.equal(await roleOf(page, '总金额'), '');
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents);

      await reloadApp(page);
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents, 'forgotten across a reload too');
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('shoplens.mapping:')).length), 0);
    });
  });

  test('a downloaded mapping file loads back', async () => {
    await withPage(async ({ page }) => {
      const facts = expected['taobao_orders_gbk.csv'];
      const wanted = await gbkColumnSum('taobao_orders_gbk.csv', '总金额', '订单付款时间');
      await pickFiles(page, ['taobao_orders_gbk.csv']);
      await correctTaobao(page);
      const { name, bytes } = await downloadOf(page, () =>
        page.click('[data-testid="load-0"] button[data-mapping-action="save"]'),
      );
      assert.match(name, /\.json$/);
      const mapping = JSON.parse(bytes.toString('utf8'));
      assert.ok(mapping.header.includes('总金额'));
      assert.equal(mapping.kind, 'orders');
      assert.equal(mapping.platform, 'taobao');
      assert.equal(mapping.columns['总金额'], 'paid_amount');
      assert.equal(mapping.columns['买家实际支付金额'], null);
      assert.deepEqual(Object.keys(mapping).sort(), ['amount_grain', 'columns', 'header', 'kind', 'platform', 'statuses']);

      // Forget it: back to the detected mapping.
      await page.click('[data-testid="saved-mapping-taobao_orders_gbk.csv"] button[data-mapping-action="forget"]');
      await waitForReport(page);
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), facts.gmv_cents);

      await openView(page, 'loads');
      await page.setInputFiles('#mapping-file-input', { name, mimeType: 'application/json', buffer: bytes });
      await waitForReport(page);
      await page.waitForSelector('[data-testid="saved-mapping-taobao_orders_gbk.csv"]');
      assert.equal(await roleOf(page, '总金额'), 'paid_amount');
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), wanted);

      // Not a mapping file: said so, nothing changes.
      await openView(page, 'loads');
      await page.setInputFiles('#mapping-file-input', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"kind": "orders"}') });
      await page.waitForSelector('.message.error');
      assert.match(await page.textContent('.message.error'), /notes\.json/);
    });
  });
});

describe('doubtful roles', () => {
  test('a doubtful column shows its evidence and confirm button; confirming remembers it', async () => {
    await withPage(async ({ page }) => {
      // Cryptic headers: the engine reads `amt` as the paid amount from its words and values, a guess.
      await dropFiles(page, [{ name: 'cryptic.csv', bytes: CRYPTIC }]);
      await waitForReport(page);
      assert.equal(await page.textContent('#tab-loads .tab-badge'), '?', 'the Data tab asks for a look');
      const panel = await openMappingOf(page);
      const summary = panel.locator('[data-testid="load-0-doubtful"]');
      const text = await summary.textContent();
      assert.match(text, /“amt” looks like the Paid amount/);
      assert.match(text, /header words: money/, 'with the engine’s evidence');
      const row = panel.locator('tr.doubtful');
      assert.equal(await row.count(), 1, 'only the doubtful row is highlighted');
      assert.match(await row.textContent(), /amt/);
      // Confident roles (order, ts) never ask: one button in the sentence, one in the row.
      assert.equal(await panel.locator('button[data-confirm]').count(), 2);
      await summary.locator('button[data-confirm="column"]').click();
      await waitForReport(page);
      await openView(page, 'loads');
      assert.equal(await page.locator('[data-testid="load-0"] button[data-confirm]').count(), 0);
      assert.equal(await page.locator('#tab-loads .tab-badge').count(), 0, 'nothing left to check');
      assert.equal(await roleOf(page, 'amt'), 'paid_amount');
      assert.match(await page.textContent('[data-testid="saved-mapping-cryptic.csv"]'), /remembered/);
    });
  });
});

describe('the banner', () => {
  test('a recognised file with no usable row names its one cause; the button opens its mapping', async () => {
    await withPage(async ({ page }) => {
      const bytes = Buffer.from('订单编号,买家会员名,买家实际支付金额,订单付款时间\n1001,alice,10.00,not a time\n1002,bob,20.00,soon\n');
      await dropFiles(page, [{ name: 'orders.csv', bytes }]);
      await waitForReport(page);
      const banner = page.locator('#blocker [data-testid="blocker-0"]');
      assert.equal(await banner.getAttribute('data-code'), 'all_rows_rejected');
      assert.match(await banner.textContent(), /none of its 2 rows could be used/);
      assert.match(await banner.textContent(), /not a time/);
      // One cause, once: the views with no data point to it instead of each guessing.
      for (const view of ['overview', 'customers']) {
        await openView(page, view);
        const panels = page.locator(`#panel-${view} .unavailable`);
        assert.ok(await panels.count(), view);
        assert.equal(await panels.count(), await page.locator(`#panel-${view} .unavailable.deferred`).count(), view);
      }
      await page.click('[data-testid="blocker-0-action"]');
      await page.waitForSelector('#panel-loads:not([hidden]) [data-testid="load-0"]');
      assert.equal(await page.getAttribute('#tab-loads', 'aria-selected'), 'true');
      // On the role of the column at fault.
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.header), '订单付款时间');
    });
  });
});

describe('status meanings and the amounts’ grain', () => {
  test('go through apply, change the figures and are remembered with the column roles', async () => {
    await withPage(async ({ page }) => {
      await dropFiles(page, [{ name: 'statuses.csv', bytes: STATUSES }]);
      await waitForReport(page);
      // Order 1001 (two rows of ¥10.00, the order's amount) and 1002 (paid at a time) are paid.
      assert.equal(digitsOf(await kpi(page, 'gmv')), 3000);
      await openView(page, 'loads');
      const table = page.locator('[data-testid="load-0-statuses"]');
      const unknown = table.locator('tr.doubtful');
      assert.equal(await unknown.count(), 1, 'the unknown meaning is highlighted');
      assert.match(await unknown.textContent(), /奇怪状态/);
      await table.locator('select[data-override="status"][data-value="奇怪状态"]').selectOption('test');
      const grain = page.locator('[data-testid="load-0"] select[data-override="amount_grain"]');
      assert.equal(await grain.inputValue(), 'order');
      await grain.selectOption('line');
      assert.match(await page.textContent('#mapping-pending'), /2/);
      await page.click('#mapping-apply');
      await waitForReport(page);
      // 1002 is a test order now (with a payment time a cancelled one would still count as paid,
      // DEFINITIONS §1), and 1001's rows are lines: 10.00 + 10.00.
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), 2000);
      await openView(page, 'loads');
      assert.equal(await page.locator('[data-testid="load-0-statuses"] tr.doubtful').count(), 0);
      assert.equal(await page.locator('[data-testid="load-0"] select[data-override="amount_grain"]').inputValue(), 'line');
      const saved = await page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([key]) => key.startsWith('shoplens.mapping:'))
          .map(([, value]) => JSON.parse(value)),
      );
      assert.equal(saved.length, 1);
      assert.deepEqual(saved[0].statuses, { 奇怪状态: 'test' });
      assert.equal(saved[0].amount_grain, 'line');
      assert.equal(saved[0].header[0], '订单编号');
    });
  });
});
