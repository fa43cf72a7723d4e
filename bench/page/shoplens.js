// shoplens end to end: File → 4 MiB chunks → Session.push → finish() → the report with every view's
// data (KPI, funnel, cohorts, RFM, products, alerts), as a plain JS object.

import { forEachChunk, HeapPeak } from './common.js';

let wasm = null;
let CsvScan = null;
let Session = null;
let JsonReportSession = null;

/**
 * Instantiates the engine (not timed: the page does it once, before any file is chosen). With
 * `?pkg=profile` the page loads the build with function names that `scripts/bench.mjs --profile`
 * makes in bench/data/pkg-profile, for the browser's profiler.
 */
export async function prepare() {
  if (wasm) return;
  const profile = new URLSearchParams(location.search).get('pkg') === 'profile';
  const glue = await import(profile ? '/bench/data/pkg-profile/shoplens.js' : '/www/pkg/shoplens.js');
  ({ CsvScan, Session, JsonReportSession } = glue);
  wasm = await glue.default();
}

export async function runShoplens(file) {
  const heap = new HeapPeak();
  const started = performance.now();
  // The file's size lets the engine reserve its tables once (FileOptions.size_bytes).
  const session = new Session({ ingest: { files: { [file.name]: { size_bytes: file.size } } } });
  await forEachChunk(file, (bytes) => {
    session.push(file.name, bytes);
    heap.sample();
  });
  session.endFile(file.name);
  const ingested = performance.now();
  const report = session.finish();
  session.free();
  const seconds = (performance.now() - started) / 1000;
  heap.sample();
  return {
    seconds,
    wasmBytes: wasm.memory.buffer.byteLength,
    heapPeak: heap.peak,
    /** Of `seconds`: streaming the chunks in, and `finish` (analyses and the report's conversion to JS). */
    split: { ingest: (ingested - started) / 1000, finish: (performance.now() - ingested) / 1000 },
    summary: summarise(report),
  };
}

/**
 * The same, with the report handed over as JSON text and parsed by `JSON.parse`, to size the cost
 * of building the report object property by property (`Session.finish`).
 */
export async function runShoplensJson(file) {
  const heap = new HeapPeak();
  const started = performance.now();
  const session = new JsonReportSession({ ingest: { files: { [file.name]: { size_bytes: file.size } } } });
  await forEachChunk(file, (bytes) => {
    session.push(file.name, bytes);
    heap.sample();
  });
  session.endFile(file.name);
  const ingested = performance.now();
  const report = JSON.parse(session.finishJson());
  session.free();
  const seconds = (performance.now() - started) / 1000;
  heap.sample();
  return {
    seconds,
    wasmBytes: wasm.memory.buffer.byteLength,
    heapPeak: heap.peak,
    split: { ingest: (ingested - started) / 1000, finish: (performance.now() - ingested) / 1000 },
    summary: summarise(report),
  };
}

/** The raw limit: csv-core's record scan over the same chunks, nothing else. */
export async function runScan(file) {
  const heap = new HeapPeak();
  const started = performance.now();
  const scan = new CsvScan();
  await forEachChunk(file, (bytes) => {
    scan.push(bytes);
  });
  const records = scan.finish();
  scan.free();
  const seconds = (performance.now() - started) / 1000;
  heap.sample();
  return { seconds, wasmBytes: wasm.memory.buffer.byteLength, heapPeak: heap.peak, summary: { records } };
}

function summarise(report) {
  const load = report.loads[0];
  const summary = { rows: load.rows_used, rejected: load.rows_rejected };
  if (report.kpi.status === 'ready') {
    const k = report.kpi.data.total;
    Object.assign(summary, {
      paid_orders: k.paid_orders,
      gmv: k.gmv,
      refunds: k.refunds,
      buyers: k.buyers,
      units: k.units,
      repurchase_rate: round(k.repurchase_rate),
      months: report.kpi.data.monthly.length,
    });
  }
  if (report.cohorts.status === 'ready') {
    const first = report.cohorts.data.cohorts[0];
    summary.first_cohort = [first.size, first.cells[1]?.active ?? null];
  }
  if (report.products.status === 'ready') {
    const top = report.products.data.products[0];
    summary.top_product = [top.key, top.revenue, top.units, top.buyers];
  }
  if (report.funnel.status === 'ready') {
    summary.funnel = report.funnel.data.steps.map((s) => s.count);
  }
  return summary;
}

const round = (x) => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);
