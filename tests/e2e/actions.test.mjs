// The action list (操作清单) in headless Chromium: on the sample shop the Overview opens with a
// non-empty, ranked action list; a card's list opens, and the win-back customers export as a CSV
// ready for a coupon campaign; the locked rules say which export unlocks them; both languages.
// Screenshots of the action list go to tests/artifacts/actions-{zh,en}.png.
//
// Run `npm run build` (or `node scripts/build.mjs --dev`) first.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifactsDir, digitsOf, downloadOf, openApp, openView, parseCsv, startBrowser, waitForReport } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

describe('action list', () => {
  for (const [locale, suffix, header, lockedWord] of [
    ['zh-CN', 'zh', ['客户ID', '客户分层', '最近购买日', '支付订单数', '消费金额'], '待解锁'],
    ['en-US', 'en', ['Customer id', 'Segment', 'Last order date', 'Orders', 'Spend'], 'Locked'],
  ]) {
    test(`the sample shop's Overview opens with the ranked action list (${locale})`, async () => {
      const app = await openApp(env, { locale, viewport: { width: 1280, height: 900 } });
      const { page } = app;
      try {
        await page.click('#try-sample');
        await waitForReport(page);
        await page.click('.message-close');
        await openView(page, 'overview');
        // The first panel of the Overview is the action list.
        const first = await page.$eval('#panel-overview .view > .panel', (el) => el.dataset.testid);
        assert.equal(first, 'actions');
        const cards = await page.$$eval('#panel-overview .action-card', (els) =>
          els.map((el) => ({
            code: el.dataset.action,
            stake: el.querySelector('.action-stake strong').textContent,
            rule: el.querySelector('.action-rule').textContent,
          })),
        );
        assert.ok(cards.length >= 1, 'at least one action fired');
        const stakes = cards.map((c) => digitsOf(c.stake));
        assert.deepEqual(stakes, [...stakes].sort((a, b) => b - a), 'ranked by stake');
        assert.ok(cards.every((c) => c.rule.length > 20));
        const codes = cards.map((c) => c.code);
        assert.ok(codes.includes('win_back'), `win back fires on the sample: ${codes}`);

        // The panel as it opens, lists folded.
        await page.mouse.move(0, 0);
        const panel = await page.$('#panel-overview [data-testid="actions"]');
        await panel.screenshot({ path: join(artifactsDir, `actions-${suffix}.png`) });

        // The win-back list opens and exports a coupon-ready CSV.
        await page.click('[data-testid="action-win_back"] summary');
        await page.waitForSelector('#table-action-win_back', { state: 'visible' });
        const shown = await page.$$eval('#table-action-win_back tbody tr', (rows) => rows.length);
        assert.ok(shown > 0);
        const { name, bytes } = await downloadOf(page, () =>
          page.click('[data-testid="action-win_back"] button[data-export="csv"]'),
        );
        assert.match(name, /\.csv$/);
        const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
        const [head, ...rows] = parseCsv(text).filter((r) => r.length > 1);
        assert.deepEqual(head, header);
        assert.ok(rows.length >= shown);
        assert.ok(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[2]) && Number(r[3]) >= 1 && /^\d+\.\d\d$/.test(r[4])));

        // A product list opened (restock on the sample: the SKU list has stock).
        for (const code of ['restock', 'refund_spike']) {
          const card = `[data-testid="action-${code}"]`;
          if (!(await page.$(card))) continue;
          await page.click(`${card} summary`);
          await page.waitForSelector(`#table-action-${code}`, { state: 'visible' });
          await (await page.$(card)).screenshot({ path: join(artifactsDir, `actions-${code}-${suffix}.png`) });
        }

        // Locked rules (if any) name what unlocks them, in the page's language.
        const locked = await page.$$eval('#panel-overview .action-locked', (els) => els.map((el) => el.textContent));
        for (const l of locked) assert.ok(l.includes(lockedWord), l);

        app.assertClean();
      } finally {
        await app.context.close();
      }
    });
  }
});
