// Parallel reading in the page's engine worker (www/worker.js + parallel.js + part-worker.js) gives
// exactly the report of one pass: the same export, generated in the page (Shopify line items, so
// orders straddle the cuts; quoted commas; notes with quoted newlines), analysed with 1, 2 and 3
// engine instances, in real Chromium workers. A cut that falls inside a quoted field is caught and
// the file is read again in one pass, with the same report.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApp, startBrowser } from './harness.mjs';

let env;

before(async () => {
  env = await startBrowser();
});

after(async () => {
  await env?.close();
});

/**
 * In the page: builds the export (about 9 MB; `longNoteAt` puts a 3 MB quoted note with newlines
 * at that share of the rows), runs the engine worker once per entry of `workerCounts`, and returns
 * each run's report (as JSON text) and its final progress message.
 */
async function analyseInPage(page, { workerCounts, longNoteAt = null }) {
  return page.evaluate(
    async ({ workerCounts, longNoteAt }) => {
      let seed = 7;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const header =
        'Name,Email,Financial Status,Paid at,Currency,Total,Refunded Amount,Created at,' +
        'Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Notes\n';
      const products = Array.from({ length: 300 }, (_, i) => [`SKU-${i}`, `"Mug, ${i} oz"`, 5 + (i % 40)]);
      const rows = [header];
      const orders = 45_000;
      for (let o = 0; o < orders; o++) {
        const day = 1 + Math.floor((o / orders) * 27);
        const time = `2024-03-${String(day).padStart(2, '0')} 10:${String(o % 60).padStart(2, '0')}:00 +0800`;
        const lines = 1 + Math.floor(random() * 3);
        const picked = Array.from({ length: lines }, () => products[Math.floor(random() * products.length)]);
        const quantities = picked.map(() => 1 + Math.floor(random() * 3));
        const total = picked.reduce((sum, p, i) => sum + p[2] * quantities[i], 0);
        const paid = random() < 0.9;
        const refund = paid && random() < 0.05 ? picked[0][2] : 0;
        const email = `buyer${Math.floor(random() * 9000)}@example.com`;
        let note = random() < 0.02 ? '"call first,\nthen leave at door"' : '';
        if (longNoteAt !== null && o === Math.floor(orders * longNoteAt)) {
          note = `"${'gift wrap, please\n'.repeat(170_000)}"`;
        }
        picked.forEach((p, i) => {
          const first = i === 0;
          rows.push(
            [
              `#${1000 + o}`,
              email,
              first ? (paid ? 'paid' : 'pending') : '',
              first && paid ? time : '',
              first ? 'USD' : '',
              first ? total.toFixed(2) : '',
              first ? refund.toFixed(2) : '',
              time,
              quantities[i],
              p[1],
              p[2].toFixed(2),
              p[0],
              first ? note : '',
            ].join(',') + '\n',
          );
        });
      }
      const blob = new Blob(rows, { type: 'text/csv' });

      const analyse = (workers) =>
        new Promise((resolve, reject) => {
          const worker = new Worker('worker.js', { type: 'module' });
          let last = null;
          worker.onmessage = ({ data }) => {
            if (data.type === 'progress' && data.done) last = data;
            if (data.type === 'done') {
              worker.terminate();
              resolve({ report: JSON.stringify(data.report), progress: last });
            }
            if (data.type === 'error') {
              worker.terminate();
              reject(new Error(JSON.stringify(data.error)));
            }
          };
          worker.postMessage({
            type: 'analyze',
            runId: 1,
            files: [{ name: 'orders_export.csv', blob }],
            options: {},
            workers,
          });
        });
      const runs = [];
      for (const workers of workerCounts) runs.push({ workers, ...(await analyse(workers)) });
      return { size: blob.size, runs };
    },
    { workerCounts, longNoteAt },
  );
}

test('one, two and three engine instances give the same report', { timeout: 180_000 }, async () => {
  const app = await openApp(env);
  try {
    const { size, runs } = await analyseInPage(app.page, { workerCounts: [1, 2, 3] });
    assert.ok(size > 6 << 20, `the export is big enough to cut after its first 4 MiB (${size} bytes)`);
    const [one, ...more] = runs;
    const report = JSON.parse(one.report);
    const load = report.loads[0];
    assert.equal(load.platform, 'shopify');
    assert.equal(load.rows_rejected, 0);
    assert.ok(load.rows_used > 80_000, `rows used: ${load.rows_used}`);
    assert.equal(report.kpi.status, 'ready');
    assert.equal(one.progress.parts, 1);
    for (const run of more) {
      assert.equal(run.progress.parts, run.workers, `read in ${run.workers} parts`);
      assert.equal(run.progress.bytes, size);
      assert.equal(run.progress.rows, load.rows_read);
      assert.ok(run.report === one.report, `${run.workers} workers: the report differs from one pass`);
    }
    app.assertClean();
  } finally {
    await app.context.close();
  }
});

test('a cut inside a quoted field falls back to one pass with the same report', { timeout: 180_000 }, async () => {
  const app = await openApp(env);
  try {
    // The 3 MB note spans the middle of the file, where the one cut for two workers falls.
    const { runs } = await analyseInPage(app.page, { workerCounts: [1, 2], longNoteAt: 0.45 });
    const [one, two] = runs;
    assert.equal(two.progress.parts, 1, 'the file was read again in one pass');
    assert.ok(two.report === one.report, 'the fallback gives the one-pass report');
    assert.equal(JSON.parse(one.report).loads[0].rows_rejected, 0);
    app.assertClean();
  } finally {
    await app.context.close();
  }
});
