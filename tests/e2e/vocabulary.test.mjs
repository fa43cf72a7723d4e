// A clickstream in a site's own event vocabulary (DEFINITIONS §5) through the page in headless
// Chromium: no row is rejected, the default funnel counts view → cart → purchase from the site's
// names, equal to a brute-force count written here, and the step picker (fed by the names in the
// log) builds a custom funnel whose counts equal the brute force too.
//
// Run `node scripts/build.mjs` first (the page loads www/pkg/).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { digitsOf, dropFiles, openApp, openView, startBrowser, waitForReport } from './harness.mjs';

const WEEK = 7 * 86_400;
const NAMES = ['home', 'search', 'product_view', 'add_to_cart', 'checkout', 'purchase'];

/** A deterministic generator (LCG), so the log is the same on every run. */
function lcg(seed) {
  let state = BigInt(seed);
  return (n) => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number((state >> 33n) % BigInt(n));
  };
}

/** 30 users, 2–9 events each over up to three weeks: skipped steps and chains past 7 days. */
function clickstream() {
  const below = lcg(42);
  const events = [];
  for (let user = 0; user < 30; user++) {
    let t = below(2 * 86_400);
    const n = 2 + below(8);
    for (let i = 0; i < n; i++) {
      events.push({ user: `U${user}`, name: NAMES[below(NAMES.length)], t });
      t += [0, below(3600), below(86_400), below(5 * 86_400)][below(4)];
    }
  }
  return events;
}

function csv(events) {
  const base = Date.UTC(2024, 2, 1);
  const lines = ['user_id,event_type,product_id,event_time'];
  events.forEach(({ user, name, t }, i) => {
    const time = new Date(base + t * 1000).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(`${user},${name},P${i % 4},${time}`);
  });
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Per step (a list of names each), users reaching it in order within `window` seconds: every chain tried. */
function bruteForce(events, steps, window = WEEK) {
  const byUser = new Map();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const counts = steps.map(() => 0);
  for (const list of byUser.values()) {
    const extend = (t1, previous, step) => {
      if (step === steps.length) return step;
      let best = step;
      for (const e of list) {
        if (steps[step].includes(e.name) && e.t >= previous && e.t - t1 <= window) {
          best = Math.max(best, extend(t1, e.t, step + 1));
        }
      }
      return best;
    };
    let level = 0;
    for (const e of list) if (steps[0].includes(e.name)) level = Math.max(level, extend(e.t, e.t, 1));
    for (let i = 0; i < level; i++) counts[i]++;
  }
  return counts;
}

async function funnelCounts(page) {
  return page.$$eval('#panel-funnel [data-testid^="funnel-row-"]', (rows) =>
    rows.map((row) => Number(row.cells[1].dataset.sortValue)),
  );
}

/** Chooses `value` (`step:view` or `name:home`) in step `index`'s select and waits for the new report. */
async function chooseStep(page, index, value) {
  await page.selectOption(`#funnel-steps-control select[data-step-index="${index}"]`, value);
  await waitForReport(page);
}

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

test('a site-vocabulary clickstream keeps every row; the default funnel and the step picker count as brute force', async () => {
  const app = await openApp(env);
  const { page } = app;
  try {
    const events = clickstream();
    assert.ok(events.length >= 50, `${events.length} events`);
    await dropFiles(page, [{ name: 'site_clickstream.csv', bytes: csv(events) }]);
    await waitForReport(page);
    await page.waitForSelector('#panel-funnel:not([hidden]) .view');

    // Every row kept (the Data view's load summary).
    await openView(page, 'loads');
    assert.equal(digitsOf(await page.textContent('[data-testid="load-0-rows_read"]')), events.length);
    assert.equal(await page.textContent('[data-testid="load-0-rows_rejected"]'), '0');
    await openView(page, 'funnel');

    // Default steps: product_view → add_to_cart → purchase.
    const defaults = [['product_view'], ['add_to_cart'], ['purchase']];
    assert.deepEqual(await funnelCounts(page), bruteForce(events, defaults));
    const stepNames = await page.$$eval('#panel-funnel [data-testid^="funnel-row-"]', (rows) =>
      rows.map((row) => row.cells[row.cells.length - 1].textContent),
    );
    assert.deepEqual(stepNames, ['product_view', 'add_to_cart', 'purchase']);

    // Every name is listed with its count of events.
    const listed = await page.$$eval('#panel-funnel [data-testid^="funnel-event-name-"]', (rows) =>
      rows.map((row) => [row.cells[0].textContent, Number(row.cells[1].dataset.sortValue)]),
    );
    const want = NAMES.map((name) => [name, events.filter((e) => e.name === name).length]);
    assert.deepEqual(
      listed.sort((a, b) => a[0].localeCompare(b[0])),
      want.sort((a, b) => a[0].localeCompare(b[0])),
    );

    // The picker: three selects (2–8 steps), fed by the log's names.
    const picker = page.locator('#funnel-steps-control');
    assert.ok(await picker.isVisible(), 'the step picker is shown');
    assert.equal(await picker.locator('select').count(), 3);
    const options = await picker.locator('select').first().locator('option').evaluateAll((os) => os.map((o) => o.value));
    for (const name of NAMES) assert.ok(options.includes(`name:${name}`), `${name} offered`);
    assert.ok(options.includes('step:checkout'));

    // home → product_view → checkout → purchase.
    await chooseStep(page, 0, 'name:home');
    assert.deepEqual(await funnelCounts(page), bruteForce(events, [['home'], ['add_to_cart'], ['purchase']]));
    await chooseStep(page, 1, 'name:product_view');
    await chooseStep(page, 2, 'step:checkout');
    await page.click('#funnel-steps-control [data-step-add]');
    await waitForReport(page);
    assert.equal(await picker.locator('select').count(), 4);
    await chooseStep(page, 3, 'name:purchase');
    const custom = [['home'], ['product_view'], ['checkout'], ['purchase']];
    assert.deepEqual(await funnelCounts(page), bruteForce(events, custom));
    assert.equal(await page.textContent('#panel-funnel [data-testid="funnel-row-0"] td'), 'home');

    // A name in two steps is refused in the picker; the funnel on screen stays.
    await page.selectOption('#funnel-steps-control select[data-step-index="0"]', 'name:purchase');
    assert.match(await page.textContent('#funnel-steps-control .steps-error'), /purchase/);
    assert.deepEqual(await funnelCounts(page), bruteForce(events, custom));

    // Remove a step (down to 2, never fewer), then back to the default steps.
    await page.click('#funnel-steps-control [data-step-remove="2"]');
    await waitForReport(page);
    assert.equal(await picker.locator('select').count(), 3);
    await page.click('#funnel-steps-control [data-step-reset]');
    await waitForReport(page);
    assert.deepEqual(await funnelCounts(page), bruteForce(events, defaults));
    await page.click('#funnel-steps-control [data-step-remove="0"]');
    await waitForReport(page);
    assert.equal(await picker.locator('select').count(), 2);
    assert.ok(await picker.locator('[data-step-remove="0"]').isDisabled(), 'two steps at least');
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
