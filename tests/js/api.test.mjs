// The package's API (js/index.js) in Node, on the fixtures: every kind of input gives the figures
// of tests/fixtures/expected.json, progress adds up, abort and read failures stop the analysis
// with structured errors, a bad file fails alone, and a Rust panic becomes an `internal_panic`
// error after which the engine works again.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  analyze,
  createSession,
  exportCsv,
  exportHtml,
  exportSvg,
  init,
  isShoplensError,
  render,
  version,
} from '../../js/index.js';
import { panicForTests } from '../../js/testing.js';

const root = new URL('../../', import.meta.url);
const fixturePath = (name) => fileURLToPath(new URL(`tests/fixtures/${name}`, root));
const readFixture = (name) => readFile(fixturePath(name));
const expected = JSON.parse(await readFile(new URL('tests/fixtures/expected.json', root), 'utf8'));
const packageJson = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));

/** Asserts the order figures of `report` against expected.json's entry for `file`. */
function assertOrderFigures(report, file) {
  const want = expected[file];
  assert.equal(report.kpi.status, 'ready');
  const total = report.kpi.data.total;
  assert.equal(total.gmv, want.gmv_cents, `${file}: GMV in cents`);
  assert.equal(total.paid_orders, want.paid_orders, `${file}: paid orders`);
  assert.equal(total.units, want.units, `${file}: units`);
  assert.equal(total.buyers, want.buyers, `${file}: buyers`);
}

/** A ReadableStream that hands out `bytes` in chunks of `size`, one per pull. */
function chunkedStream(bytes, size) {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(offset, offset + size));
        offset += size;
      }
    },
  });
}

test('init is idempotent and version() is the package version', async () => {
  await Promise.all([init(), init(), init(new URL('pkg/shoplens_bg.wasm', root))]);
  assert.equal(await version(), packageJson.version);
});

test('every kind of data gives the same figures', async () => {
  const file = 'taobao_orders_gbk.csv';
  const bytes = await readFixture(file);
  const inputs = {
    Uint8Array: bytes,
    ArrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    Blob: new Blob([bytes]),
    ReadableStream: chunkedStream(bytes, 100),
    'Node Readable (async iterable)': createReadStream(fixturePath(file), { highWaterMark: 333 }),
    'Readable.toWeb': Readable.toWeb(createReadStream(fixturePath(file), { highWaterMark: 1000 })),
  };
  for (const [kind, data] of Object.entries(inputs)) {
    const report = await analyze([{ name: file, data }]);
    assert.equal(report.loads[0].encoding, 'gb18030', kind);
    assert.equal(report.loads[0].rows_read, expected[file].data_rows, kind);
    assertOrderFigures(report, file);
  }
});

test('a multi-megabyte buffer is pushed in slices, with progress after each', async () => {
  // The Shopify export repeated: the header once, then the data rows 300 times under new order ids
  // (prefix r{n}-) so that they are distinct orders: 300 × the fixture's GMV and paid orders.
  const file = 'shopify_orders.csv';
  const [header, ...rows] = (await readFixture(file)).toString('utf8').trimEnd().split('\n');
  const copies = 300;
  const body = [header];
  for (let n = 0; n < copies; n++) body.push(...rows.map((row) => row.replace(/^#?/, `#r${n}-`)));
  const data = new TextEncoder().encode(`${body.join('\n')}\n`);
  assert.ok(data.length > 1 << 20, 'more than one slice');
  const seen = [];
  const report = await analyze([{ name: 'big.csv', data }], undefined, { onProgress: (p) => seen.push(p) });
  assert.equal(report.kpi.data.total.gmv, copies * expected[file].gmv_cents);
  assert.equal(report.kpi.data.total.paid_orders, copies * expected[file].paid_orders);
  assert.ok(seen.length >= 3, `progress reported per slice and at the end (got ${seen.length})`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytes >= seen[i - 1].bytes, 'bytes never go back');
  const last = seen.at(-1);
  assert.deepEqual(last, { file: 'big.csv', bytes: data.length, rows: report.loads[0].rows_read, totalBytes: data.length });
});

test('several files: each has its load report, a bad one fails alone', async () => {
  // Files that fail before any data row (a file cut off later keeps the rows before its error).
  const names = ['bad/binary_garbage.csv', 'shopify_orders.csv', 'bad/unknown_header.csv'];
  const files = await Promise.all(names.map(async (name) => ({ name, data: new Blob([await readFixture(name)]) })));
  const report = await analyze(files);
  assert.deepEqual(report.loads.map((l) => l.file), names);
  assert.equal(report.loads[0].error.code, 'binary_input');
  assert.equal(report.loads[2].error.code, 'unrecognised_header');
  assert.equal(report.loads[2].error.line, expected['bad/unknown_header.csv'].line);
  assert.equal(report.loads[1].error, null);
  assertOrderFigures(report, 'shopify_orders.csv');
});

test('a session takes chunks of interleaved files, one byte at a time', async () => {
  const a = 'jd_orders.csv';
  const b = 'tab_separated_generic.tsv';
  const [bytesA, bytesB] = await Promise.all([readFixture(a), readFixture(b)]);
  const progress = [];
  const session = await createSession(undefined, { onProgress: (p) => progress.push(p) });
  for (let i = 0; i < Math.max(bytesA.length, bytesB.length); i++) {
    if (i < bytesA.length) session.push(a, bytesA.subarray(i, i + 1));
    if (i < bytesB.length) session.push(b, bytesB.subarray(i, i + 1).buffer.slice(bytesB.byteOffset + i, bytesB.byteOffset + i + 1));
  }
  session.endFile(a);
  session.endFile(b);
  assert.deepEqual(
    session.progress().map(({ file, bytes }) => [file, bytes]),
    [[a, bytesA.length], [b, bytesB.length]],
  );
  assert.equal(progress.at(-1).totalBytes, null, 'a pushed file has no known size');
  const report = session.finish();
  const single = await analyze([{ name: a, data: bytesA }, { name: b, data: bytesB }]);
  assert.deepEqual(report, single, 'byte-by-byte equals whole files');
  assert.equal(report.kpi.data.total.gmv, expected[a].gmv_cents + expected[b].gmv_cents);
  assert.throws(() => session.push(a, new Uint8Array(1)), { code: 'session_finished' });
});

test('aborting stops a stream that is still sending, and a pending read', async () => {
  const controller = new AbortController();
  let pulls = 0;
  const endless = new ReadableStream({
    pull(c) {
      pulls += 1;
      c.enqueue(new TextEncoder().encode('订单编号,买家实际支付金额,订单创建时间\n'.repeat(pulls === 1 ? 1 : 0) + '1,10.00,2024-03-01 10:00:00\n'));
      if (pulls === 50) controller.abort(new Error('user pressed cancel'));
    },
  });
  await assert.rejects(analyze([{ name: 'endless.csv', data: endless }], undefined, { signal: controller.signal }), (e) => {
    assert.ok(isShoplensError(e));
    assert.equal(e.code, 'aborted');
    assert.match(e.message, /user pressed cancel/);
    return true;
  });
  // A stream that never answers: only the abort can end the wait.
  const silent = new ReadableStream({ pull: () => new Promise(() => {}) });
  const later = new AbortController();
  setTimeout(() => later.abort(), 20);
  await assert.rejects(analyze([{ name: 'silent.csv', data: silent }], undefined, { signal: later.signal }), {
    code: 'aborted',
  });
  const already = AbortSignal.abort();
  await assert.rejects(analyze([{ name: 'x.csv', data: new Uint8Array(1) }], undefined, { signal: already }), {
    code: 'aborted',
  });
});

test("the caller's stream failing rejects with read_failed, naming the file", async () => {
  const broken = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode('订单编号,买家实际支付金额\n'));
      c.error(new Error('disk went away'));
    },
  });
  await assert.rejects(analyze([{ name: 'broken.csv', data: broken }]), (e) => {
    assert.equal(e.code, 'read_failed');
    assert.equal(e.file, 'broken.csv');
    assert.match(e.message, /disk went away/);
    return true;
  });
});

test('malformed input and options are structured errors', async () => {
  const data = new Uint8Array(1);
  await assert.rejects(analyze('orders.csv'), { code: 'invalid_input' });
  await assert.rejects(analyze([{ name: '', data }]), { code: 'invalid_input' });
  await assert.rejects(analyze([{ name: 'a.csv', data: 'text' }]), { code: 'invalid_input', file: 'a.csv' });
  await assert.rejects(analyze([{ name: 'a.csv', data }, { name: 'a.csv', data }]), { code: 'invalid_input' });
  await assert.rejects(analyze([], { cohort: { grian: 'week' } }), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'ShoplensError');
    assert.equal(e.code, 'invalid_option');
    assert.match(e.message, /grian/);
    return true;
  });
  const bytes = await readFixture('shopify_orders.csv');
  await assert.rejects(analyze([{ name: 's.csv', data: bytes }], { filter: { from: '2024-02-30' } }), {
    code: 'invalid_option',
  });
});

test('options reach the engine (cohort grain, funnel mode, filter)', async () => {
  const files = [{ name: 'jd_orders.csv', data: await readFixture('jd_orders.csv') }];
  const weekly = await analyze(files, { cohort: { grain: 'week' } });
  assert.equal(weekly.cohorts.data.grain, 'week');
  assert.match(weekly.cohorts.data.cohorts[0].cohort, /^\d{4}-W\d\d$/);
  const first = weekly.kpi.data.first_day;
  const oneDay = await analyze(files, { filter: { from: first, to: first } });
  assert.equal(oneDay.kpi.data.last_day, first);
  assert.equal(oneDay.kpi.data.total.gmv, weekly.kpi.data.daily[0].kpi.gmv, 'one day filtered = that day of the series');
  const events = [{ name: 'tianchi.csv', data: await readFixture('tianchi_userbehavior.csv') }];
  const distinct = await analyze(events, { funnel: { mode: 'distinct' } });
  const want = expected['tianchi_userbehavior.csv'].distinct_counts;
  assert.deepEqual(distinct.funnel.data.steps.map((s) => s.count), [want.view, want.cart, want.purchase]);
});

test('a kept session re-analyses with new filters without reading the files again', async () => {
  const name = 'jd_orders.csv';
  const session = await createSession();
  session.push(name, await readFixture(name));
  session.endFile(name);
  const all = session.finish({ keep: true });
  const first = all.kpi.data.first_day;
  const oneDay = session.reanalyze({ filter: { from: first, to: first } });
  const fresh = await analyze([{ name, data: await readFixture(name) }], { filter: { from: first, to: first } });
  assert.deepEqual(oneDay.kpi, fresh.kpi);
  assert.throws(() => session.push(name, new Uint8Array(1)), (e) => isShoplensError(e));
  session.free();
  assert.throws(() => session.reanalyze({}), (e) => e.code === 'session_finished');
});

test('a Rust panic becomes internal_panic, and the next call works on a fresh instance', async () => {
  const bytes = await readFixture('shopify_orders.csv');
  const before = await createSession();
  before.push('s.csv', bytes);
  await assert.rejects(panicForTests('deliberate test panic'), (e) => {
    assert.ok(isShoplensError(e));
    assert.equal(e.code, 'internal_panic');
    assert.match(e.message, /deliberate test panic/);
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    return true;
  });
  assert.throws(() => before.push('s.csv', bytes), { code: 'session_lost' }, 'a session of the trapped instance');
  assert.throws(() => before.finish(), { code: 'session_lost' });
  before.free(); // no-op, must not throw
  const report = await analyze([{ name: 'shopify_orders.csv', data: bytes }]);
  assertOrderFigures(report, 'shopify_orders.csv');
  assert.equal(await version(), packageJson.version);
});

test('exportHtml returns the self-contained report', async () => {
  const report = await analyze([{ name: 'shopify_orders.csv', data: await readFixture('shopify_orders.csv') }]);
  const html = await exportHtml(report, { lang: 'en' });
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /Content-Security-Policy/);
  assert.doesNotMatch(html, /<script/i);
});

test('without a DOM, render is refused with a structured error', async () => {
  const report = await analyze([]);
  await assert.rejects(render({}, report, 'overview'), { name: 'ShoplensError', code: 'no_document' });
  await assert.rejects(render({}, report, 'charts'), { code: 'invalid_option' });
  await assert.rejects(exportHtml({ not: 'a report' }), { code: 'invalid_report' });
});

test('exportCsv gives a whole table; exportSvg an unknown chart is a structured error', async () => {
  const file = 'shopify_orders.csv';
  const report = await analyze([{ name: file, data: await readFixture(file) }]);
  const csv = await exportCsv(report, 'products', { lang: 'en' });
  assert.ok(csv.startsWith('\uFEFF'), 'UTF-8 BOM for Excel');
  const rows = csv.trimEnd().split(/\r?\n/);
  assert.equal(rows.length, 1 + report.products.data.products.length, 'a header and one row per product');
  await assert.rejects(exportCsv(report, 'no-such-table'), { code: 'unknown_table' });
  await assert.rejects(exportSvg(report, 'overview', 'chart-none'), { code: 'unknown_chart' });
});

/** `bytes` grown past `size` by repeating every line after the header. */
function grown(bytes, size) {
  const body = bytes.subarray(bytes.indexOf(10) + 1);
  const chunks = [bytes];
  let length = bytes.length;
  while (length < size) {
    chunks.push(body);
    length += body.length;
  }
  return Buffer.concat(chunks);
}

test('a file read in parts through the package API gives the one-pass report', async () => {
  const name = 'shopify_orders.csv';
  // A start is cut only after the 64 KiB that decide a file's encoding.
  const bytes = grown(await readFixture(name), 160_000);
  const whole = await analyze([{ name, data: bytes }]);
  // Cut just after the first `\n` past the middle: the two sessions stand for two workers.
  const cut = bytes.indexOf(10, bytes.length >> 1) + 1;
  const start = await createSession();
  start.push(name, bytes.subarray(0, cut));
  start.endFile(name);
  const continuation = start.continuation(name);
  assert.equal(continuation.platform, 'shopify');
  const rest = await createSession({ ingest: { files: { [name]: { continuation } } } });
  rest.push(name, bytes.subarray(cut));
  const part = rest.finishPart(name);
  assert.ok(part instanceof Uint8Array && part.length > 0);
  assert.throws(() => rest.push(name, bytes), (e) => e.code === 'session_finished');
  start.appendPart(name, part);
  assert.deepEqual(start.finish(), whole);
  const other = await createSession();
  other.push(name, bytes);
  other.endFile(name);
  assert.throws(() => other.appendPart(name, new Uint8Array([1, 2, 3])), (e) => e.code === 'bad_part');
  // A start shorter than 64 KiB gives no continuation: read such a file in one pass.
  const small = await createSession();
  small.push(name, bytes.subarray(0, 1000));
  assert.equal(small.continuation(name), undefined);
  small.free();
  other.free();
});
