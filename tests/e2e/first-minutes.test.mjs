// The operator's first minutes with the sample shop (issue 17): a few alerts worth reading, ranked
// by money, with the rest behind "N more"; partial weeks drawn dashed and named, never compared as
// whole ones. Screenshots of the Overview in both languages go to tests/artifacts/.
//
// Run `npm run build` first (the page loads www/pkg/).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifactsDir, openApp, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

for (const locale of ['en-US', 'zh-CN']) {
  test(`the sample's Overview: three alerts first, partial weeks named (${locale})`, async () => {
    const app = await openApp(env, { locale });
    const { page } = app;
    try {
      await page.click('#try-sample');
      await waitForReport(page);
      const panel = page.locator('#panel-overview .alerts-panel');
      // Three shown, each with its stake; the rest folded.
      assert.equal(await panel.locator(':scope > ul.alerts > li.alert').count(), 3);
      assert.equal(await panel.locator('li.alert .alert-stake').first().isVisible(), true);
      const more = panel.locator('[data-testid="alerts-more"]');
      assert.equal(await more.count(), 1);
      const folded = await more.locator('li.alert').count();
      assert.ok(folded > 0 && folded < 20, `${folded} more alerts`);
      assert.match(await more.locator('summary').textContent(), new RegExp(String(folded)));
      // Bad news first: the first alert is not a sales spike.
      const firstClass = await panel.locator('li.alert').first().getAttribute('class');
      assert.doesNotMatch(firstClass, /severity-info/);
      // The sample runs 2025-01-01 (a Wednesday) to 2025-06-30 (a Monday): by week, the first
      // week holds 5 of its 7 days and the last 1; both are dashed and named.
      const note = await page.textContent('#panel-overview [data-testid="trend-partial"]');
      assert.match(note, /2025-W01/);
      assert.match(note, /2025-W27/);
      assert.match(note, locale === 'en-US' ? /1 of 7 days/ : /1\/7 天/);
      assert.ok((await page.locator('#chart-trend-gmv path.line.partial').count()) >= 1);
      assert.ok((await page.locator('#chart-trend-gmv circle.partial').count()) >= 2);
      await page.screenshot({ path: join(artifactsDir, `overview-first-minutes-${locale}.png`), fullPage: true });
      app.assertClean();
    } finally {
      await app.context.close();
    }
  });
}

test('the sample banner follows the page language, and the funnel breakdown names its categories', async () => {
  const app = await openApp(env, { locale: 'en-US' });
  const { page } = app;
  try {
    await page.click('#try-sample');
    await waitForReport(page);
    const banner = page.locator('#messages .message p');
    assert.match(await banner.textContent(), /^Sample: 简衣社服饰/);
    await page.click('[data-lang="zh-CN"]');
    assert.match(await banner.textContent(), /^示例：简衣社服饰/);
    assert.equal(await page.getAttribute('#messages .message-close', 'aria-label'), '关闭提示');
    // The Tianchi log writes category ids; the SKU list names them (crate/core/tests/stock_ab.rs).
    // The funnel breaks down by category by default.
    await page.click('#tab-funnel');
    await page.waitForSelector('#panel-funnel .view-host > .view');
    await page.waitForSelector('#table-funnel-breakdown tbody tr');
    const groups = await page.$$eval('#table-funnel-breakdown tbody tr td:first-child', (tds) => tds.map((td) => td.textContent.trim()));
    assert.ok(groups.includes('女装/休闲裤'), groups.join());
    assert.ok(!groups.some((g) => /^\d+$/.test(g)), `no bare ids: ${groups.join()}`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(artifactsDir, 'funnel-category-names-zh-CN.png'), fullPage: true });
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
