// The mapping editor is never a dead end (issue 11): a file whose header matched nothing gets the
// kind chooser and a role per column, and mapping it by hand yields figures; a doubtful role asks
// to be confirmed; corrections are remembered for the header layout across a reload and
// forgotten with "forget"; a downloaded mapping file loads back; a file that gave the views
// nothing is named once in a banner whose button opens its mapping.
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

/**
 * Stands in for engine output the engine does not give yet, by rewriting the report the analysis
 * worker sends (the page and its engine are untouched): `fill_unrecognised` gives an unrecognised
 * file its header columns without roles; `doubtful` marks one header's role a guess with evidence
 * until the user overrides it; `status_values` gives a file its status values (and a line grain).
 * Each only acts when the report lacks what it adds.
 */
async function simulateEngine(context, simulation) {
  await context.addInitScript((sim) => {
    const transform = (report) => {
      for (const load of report.loads ?? []) {
        if (sim.fill_unrecognised && load.error?.code === 'unrecognised_header' && !load.columns.length) {
          load.columns = sim.fill_unrecognised.map((header, index) => ({
            index,
            header,
            field: null,
            confidence: 0,
            source: 'none',
            duplicate_of: null,
            evidence: '',
            doubtful: false,
          }));
        }
        if (sim.status_values && !load.status_values?.length && load.kind) {
          load.status_values = sim.status_values;
          load.amount_grain ??= 'line';
        }
        for (const column of load.columns ?? []) {
          if (sim.doubtful && column.header === sim.doubtful && column.source !== 'override' && !column.doubtful) {
            column.doubtful = true;
            column.source = 'values';
            column.confidence = 0.6;
            column.evidence = 'header words: created; 98 % of 14 values parse as timestamps';
          }
        }
      }
      return report;
    };
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      addEventListener(type, listener, options) {
        if (type !== 'message') return super.addEventListener(type, listener, options);
        return super.addEventListener(
          type,
          (event) => {
            if (event.data?.type === 'done' && event.data.report?.loads) {
              const data = { ...event.data, report: transform(event.data.report) };
              listener.call(this, new MessageEvent('message', { data }));
            } else listener.call(this, event);
          },
          options,
        );
      }
    };
  }, simulation);
}

/** A page in a context that `simulation` (see simulateEngine) is installed in, kept across reloads. */
async function withPage(simulation, body) {
  const app = await openApp(env);
  if (simulation) await simulateEngine(app.context, simulation);
  try {
    if (simulation) await reloadApp(app.page);
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
    await withPage({ fill_unrecognised: ['foo', 'bar', 'baz', 'qux'] }, async ({ page }) => {
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
    await withPage(null, async ({ page }) => {
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
    await withPage(null, async ({ page }) => {
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
    await withPage({ doubtful: 'Created at' }, async ({ page }) => {
      await pickFiles(page, ['shopify_orders.csv']);
      const panel = await openMappingOf(page);
      const summary = panel.locator('[data-testid="load-0-doubtful"]');
      const text = await summary.textContent();
      assert.match(text, /Created at/);
      assert.match(text, /98 % of 14 values parse as timestamps/);
      const row = panel.locator('tr.doubtful');
      assert.equal(await row.count(), 1, 'only the doubtful row is highlighted');
      assert.match(await row.textContent(), /98 % of 14 values/);
      // Confident roles never ask.
      assert.equal(await panel.locator('button[data-confirm]').count(), 2, 'the summary’s and the row’s');
      await summary.locator('button[data-confirm="column"]').click();
      await waitForReport(page);
      await openView(page, 'loads');
      assert.equal(await page.locator('[data-testid="load-0"] button[data-confirm]').count(), 0);
      assert.equal(await roleOf(page, 'Created at'), 'created_time');
      assert.match(await page.textContent('[data-testid="saved-mapping-shopify_orders.csv"]'), /remembered/);
    });
  });
});

describe('the banner', () => {
  test('a recognised file with no usable row names its one cause; the button opens its mapping', async () => {
    await withPage(null, async ({ page }) => {
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
  test('go through apply and are remembered with the column roles', async () => {
    const statusValues = [
      { value: 'paid', rows: 10, meaning: 'paid' },
      { value: 'voided-ish', rows: 4, meaning: 'unknown' },
    ];
    await withPage({ status_values: statusValues }, async ({ page }) => {
      await pickFiles(page, ['shopify_orders.csv']);
      await openView(page, 'loads');
      const table = page.locator('[data-testid="load-0-statuses"]');
      assert.equal(await table.locator('tr.doubtful').count(), 1, 'the unknown meaning is highlighted');
      await table.locator('select[data-override="status"][data-value="voided-ish"]').selectOption('cancelled');
      await page.locator('[data-testid="load-0"] select[data-override="amount_grain"]').selectOption('order');
      assert.match(await page.textContent('#mapping-pending'), /2/);
      await page.click('#mapping-apply');
      await waitForReport(page);
      const saved = await page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([key]) => key.startsWith('shoplens.mapping:'))
          .map(([, value]) => JSON.parse(value)),
      );
      assert.equal(saved.length, 1);
      assert.deepEqual(saved[0].statuses, { 'voided-ish': 'cancelled' });
      assert.equal(saved[0].amount_grain, 'order');
      assert.equal(saved[0].header[0], 'Name');
    });
  });
});
