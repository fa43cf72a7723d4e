// The page on a 390 px phone (issue 17): the tabs sit at the top and stay there while the view
// scrolls, the tab strip scrolls sideways with every tab reachable, charts keep their 11 px labels
// (drawn at full width in a box that scrolls sideways), nothing in the Data tab is cut off at the
// page's edge. Screenshots of every view at 390 px go to tests/artifacts/phone-*.png.
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

test('on a 390 px phone every view is reachable and readable', async () => {
  const app = await openApp(env, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const { page } = app;
  try {
    await page.click('#try-sample');
    await waitForReport(page);
    // The page never scrolls sideways as a whole.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page width ${width}`);
    // The tabs are on the first screen, above the file list and the filters.
    const tabsTop = await page.evaluate(() => document.querySelector('nav.tabs').getBoundingClientRect().top);
    assert.ok(tabsTop < 300, `tabs at ${tabsTop} px`);
    // Chart labels at 11 px or more on screen.
    const label = await page.evaluate(() => {
      const svg = document.querySelector('#chart-trend-gmv');
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return Number(svg.getAttribute('font-size')) * scale;
    });
    assert.ok(label >= 11, `chart labels ${label.toFixed(1)} px`);
    const tabs = await page.$$eval('nav.tabs [role="tab"]', (list) => list.map((tab) => tab.dataset.view));
    for (const view of tabs) {
      await page.click(`#tab-${view}`);
      await page.waitForSelector(`#panel-${view} .view-host > .view`);
      // Once scrolled down, the tabs are still on screen (sticky).
      await page.evaluate(() => window.scrollTo(0, 1200));
      const top = await page.evaluate(() => document.querySelector('nav.tabs').getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 5, `${view}: tabs at ${top} px after scrolling`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(artifactsDir, `phone-${view}.png`), fullPage: false });
    }
    // The Data tab's figures: no value past the right edge of the page.
    await page.click('#tab-loads');
    const overflow = await page.$$eval('#panel-loads .load-summary dd', (dds) =>
      dds.filter((dd) => dd.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length,
    );
    assert.equal(overflow, 0, 'load-report figures cut at the edge');
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
