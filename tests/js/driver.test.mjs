// The one session layer (js/engine.js, issue 16 item 4) and the page's hand-over (item 5) in Node:
// - the memory policy of parallel reading is the engine's (`Session.parallelParts`), at its edges;
// - the one streaming loop (`pushChunks`) pushes every byte, stops on abort and names a failing
//   source `read_failed`;
// - a report kept in the engine (`finishView`) hands over a summary with the report's own values
//   and views as node trees, and exports equal to those of the report object; the summary alone
//   gives the page's instance the Data tab's tables (`ReportView.fromSummary`).
// Run `npm run build` first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { bufferSource, init, glue, pushChunks, withFileSizes } from '../../js/engine.js';

const root = new URL('../../', import.meta.url);
await init();
const fixture = (name) => readFile(new URL(`tests/fixtures/${name}`, root));

/** A Shopify order export of about `bytes` bytes (line items, one order per two lines). */
function shopifyExport(bytes) {
  const header = 'Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n';
  const lines = [header];
  let size = header.length;
  for (let o = 0; size < bytes; o++) {
    const time = `2024-03-${String(1 + (o % 27)).padStart(2, '0')} 10:00:00 +0800`;
    for (const line of [`#${o},b${o % 900}@example.com,paid,${time},USD,15.00,${time},1,Mug,5.00\n`, `#${o},,,,,,${time},2,Cup,5.00\n`]) {
      lines.push(line);
      size += line.length;
    }
  }
  return new TextEncoder().encode(lines.join(''));
}

test('how many engine instances read a file is the engine’s call, from its kind, size and memory limit', () => {
  const bytes = shopifyExport(200 << 10);
  const partsFor = (size, cores, options) => {
    const session = new glue.Session(options);
    try {
      session.push('orders.csv', bytes);
      return session.parallelParts('orders.csv', size, cores);
    } finally {
      session.free();
    }
  };
  const MiB = 1 << 20;
  assert.equal(partsFor(100 * MiB, 2), 2);
  assert.equal(partsFor(100 * MiB, 4), 4);
  assert.equal(partsFor(100 * MiB, 1), 1, 'one core: one pass');
  assert.equal(partsFor(48 * MiB - 1, 2), 1, 'below 48 MiB: one pass');
  assert.equal(partsFor(48 * MiB, 2), 2);
  assert.equal(partsFor(1024 * MiB, 2), 2);
  assert.equal(partsFor(1024 * MiB + 1, 2), 1, 'above 1 GiB: one pass');
  // 1.5 × the one-pass estimate (1.15 × 100 MiB + 32 MiB) must fit the limit.
  const onePass = Math.floor((100 * MiB * 1150) / 1000) + 32 * MiB;
  const limit = (bytes) => ({ ingest: { memory_limit_bytes: bytes } });
  assert.equal(partsFor(100 * MiB, 2, limit(Math.floor((onePass * 3) / 2))), 2);
  assert.equal(partsFor(100 * MiB, 2, limit(Math.floor((onePass * 3) / 2) - 1)), 1);
  // Before its header is read a file cannot be cut.
  const fresh = new glue.Session();
  try {
    fresh.push('orders.csv', bytes.subarray(0, 1000));
    assert.equal(fresh.parallelParts('orders.csv', 100 * MiB, 2), 1);
  } finally {
    fresh.free();
  }
});

test('pushChunks pushes every byte in order, stops on abort, and names a failing source read_failed', async () => {
  const bytes = shopifyExport(3 << 20);
  const seen = [];
  let counted = 0;
  await pushChunks(bufferSource(bytes), 'a.csv', (chunk) => seen.push(chunk), { onChunk: (n) => (counted += n) });
  assert.equal(counted, bytes.length);
  assert.deepEqual(Buffer.concat(seen), Buffer.from(bytes));

  const controller = new AbortController();
  let pushed = 0;
  await assert.rejects(
    pushChunks(bufferSource(bytes), 'a.csv', () => {
      pushed += 1;
      controller.abort();
    }, { signal: controller.signal }),
    (error) => error.name === 'ShoplensError' && error.code === 'aborted',
  );
  assert.equal(pushed, 1, 'no chunk after the abort');

  let cancelled = false;
  const failing = { next: () => Promise.reject(new Error('disk gone')), cancel: () => (cancelled = true) };
  await assert.rejects(pushChunks(failing, 'b.csv', () => {}), (error) => error.code === 'read_failed' && error.file === 'b.csv');
  assert.ok(cancelled, 'the source is cancelled');

  assert.deepEqual(withFileSizes({ ingest: { files: { 'a.csv': { kind: 'orders' } } } }, [['a.csv', 10], ['b.csv', null]]), {
    ingest: { files: { 'a.csv': { size_bytes: 10, kind: 'orders' } } },
  });
});

test('a report kept in the engine hands over its summary, views as trees and the same exports', async () => {
  // The item lines without their orders: 26 rejected rows (order_not_loaded) for the Data tab.
  const files = ['taobao_items_utf8bom.csv', 'shopify_orders.csv', 'tianchi_userbehavior.csv'];
  const load = async () => {
    const session = new glue.Session();
    for (const name of files) {
      session.push(name, await fixture(name));
      session.endFile(name);
    }
    return session;
  };
  const whole = (await load()).finish();
  const session = await load();
  const view = session.finishView();
  try {
    const summary = view.summary();
    assert.deepEqual(summary.loads, whole.loads);
    assert.deepEqual(summary.currencies, whole.currencies);
    assert.equal(summary.currency, whole.currency);
    for (const section of ['kpi', 'funnel', 'cohorts', 'rfm', 'products', 'stock', 'ab', 'promotion', 'breakdowns']) {
      assert.equal(summary[section].status, whole[section].status, section);
    }
    assert.equal(summary.kpi.data.last_day, whole.kpi.data.last_day);
    assert.deepEqual(summary.funnel.data.event_names, whole.funnel.data.event_names);
    assert.deepEqual(
      summary.products.data.products,
      whole.products.data.products.map(({ key, title, category }) => ({ key, title, category })),
    );
    // A view's tree: the element the page mounts, with the report's figures in its text.
    const tree = JSON.parse(view.renderTree('overview', { lang: 'en' }));
    assert.equal(tree[0], 'section');
    assert.equal(tree[1], 0, 'an HTML element');
    const texts = [];
    const walk = (node) => (typeof node === 'string' ? texts.push(node) : node.slice(3).forEach(walk));
    walk(tree);
    assert.ok(texts.length > 20);
    // The exports from the kept report equal those of the report object read back.
    const { ReportView } = glue;
    const readBack = new ReportView(whole);
    try {
      assert.equal(view.exportCsv('products', { lang: 'en' }), readBack.exportCsv('products', { lang: 'en' }));
      assert.equal(view.exportHtml({ lang: 'zh-CN' }), readBack.exportHtml({ lang: 'zh-CN' }));
      // The page's own instance draws the Data tab from the summary alone (after a structured
      // clone): its tables come out as from the whole report.
      const fromSummary = ReportView.fromSummary(structuredClone(summary));
      try {
        const attempt = (fn) => {
          try {
            return fn();
          } catch (error) {
            return `error ${error.code}`;
          }
        };
        let tables = 0;
        for (let i = 0; i < files.length; i++) {
          for (const kind of ['rejected', 'skipped', 'reasons']) {
            const table = `load-${i}-${kind}`;
            const want = attempt(() => readBack.exportCsv(table, { lang: 'en' }));
            if (!want.startsWith('error')) tables += 1;
            assert.equal(attempt(() => fromSummary.exportCsv(table, { lang: 'en' })), want, table);
          }
        }
        assert.ok(tables >= 1, 'the rejected rows table is there');
      } finally {
        fromSummary.free();
      }
    } finally {
      readBack.free();
    }
  } finally {
    view.free();
    session.free();
  }
});
