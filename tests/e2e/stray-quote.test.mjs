// A stray quote is told apart from a cut-off file (issue 17): the Data tab names the line, the
// column and the value, and one click reads the file again with quotes taken literally, which gives
// every row back. A file cut inside a quoted field says it is probably cut off, with no such button.
//
// Run `npm run build` first (the page loads www/pkg/).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, digitsOf, kpi, openApp, openView, pickFiles, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

/** 买家实际支付金额 of the fixture's 7 rows (bad_order_rows in scripts/make_fixtures.py), in cents. */
const ALL_ROWS_GMV = 5900 + 7900 + 12800 + 14900 + 2990 + 6900 + 3900;
/** The 3 rows before the stray quote. */
const BEFORE_QUOTE_GMV = 5900 + 7900 + 12800;

for (const locale of ['en-US', 'zh-CN']) {
  test(`a stray quote is named and one click re-reads the file with literal quotes (${locale})`, async () => {
    const app = await openApp(env, { locale });
    const { page } = app;
    try {
      await pickFiles(page, ['bad/stray_quote.csv']);
      // The rows before the quote are read; the error is the file's.
      assert.equal(digitsOf(await kpi(page, 'gmv')), BEFORE_QUOTE_GMV);
      await openView(page, 'loads');
      const error = page.locator('#panel-loads [data-testid="load-0-error"]');
      assert.equal(await error.getAttribute('data-code'), 'stray_quote');
      const text = await error.textContent();
      assert.match(text, /5/);
      assert.match(text, /买家留言/);
      assert.match(text, /"请周末送货，谢谢,交易成功/);
      await page.screenshot({ path: join(artifactsDir, `stray-quote-${locale}.png`), fullPage: false });

      await page.click('#panel-loads [data-testid="load-0-literal-quotes"]');
      await waitForReport(page);
      await openView(page, 'loads');
      assert.equal(await page.locator('#panel-loads [data-testid="load-0-error"]').count(), 0);
      await openView(page, 'overview');
      assert.equal(digitsOf(await kpi(page, 'gmv')), ALL_ROWS_GMV);
      app.assertClean();
    } finally {
      await app.context.close();
    }
  });
}

test('a file cut inside a quoted field is called cut off, with no re-read button', async () => {
  const app = await openApp(env);
  const { page } = app;
  try {
    await pickFiles(page, ['bad/cut_in_quote.csv']);
    await openView(page, 'loads');
    const error = page.locator('#panel-loads [data-testid="load-0-error"]');
    assert.equal(await error.getAttribute('data-code'), 'unclosed_quote');
    assert.match(await error.textContent(), /cut off/);
    assert.equal(await page.locator('#panel-loads [data-testid="load-0-literal-quotes"]').count(), 0);
    await waitForReport(page);
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
