// shoplens end to end: File → 4 MiB chunks → Session.push → every analysis → what the page shows
// (its summary and first view), as the page's worker hands it over; or the whole report as a plain
// JS object, as the npm package's `finish()` gives it.

import { CHUNK_BYTES, forEachChunk, HeapPeak } from './common.js';
// The session layer the page's workers use (js/engine.js, copied to www/js/ by the build).
import { blobSliceSource, PartWorkerPool, pushChunks, streamInParts, withFileSizes } from '/www/js/engine.js';

let wasm = null;
/** The compiled engine, for the part workers of `runShoplensParallel`. */
let wasmModule = null;
/** Part workers started before the timed run, as the page starts them when its engine loads. */
let pool = null;
let CsvScan = null;
let Session = null;

/**
 * Instantiates the engine (not timed: the page does it once, before any file is chosen). With
 * `?pkg=profile` the page loads the build with function names that `scripts/bench.mjs --profile`
 * makes in bench/data/pkg-profile, for the browser's profiler.
 */
export async function prepare(partWorkers = 0) {
  if (wasm) return;
  const profile = new URLSearchParams(location.search).get('pkg') === 'profile';
  const dir = profile ? '/bench/data/pkg-profile/' : '/www/pkg/';
  const glue = await import(`${dir}shoplens.js`);
  ({ CsvScan, Session } = glue);
  wasmModule = await WebAssembly.compileStreaming(fetch(`${dir}shoplens_bg.wasm`));
  wasm = await glue.default({ module_or_path: wasmModule });
  pool = new PartWorkerPool('/www/part-worker.js', wasmModule);
  pool.warm(partWorkers);
  // Not timed, like the engine's own instantiation: wait until the workers are ready.
  const waiting = [];
  for (let k = 0; k < partWorkers; k++) waiting.push(pool.take());
  for (const worker of await Promise.all(waiting)) pool.give(worker);
}

/**
 * shoplens end to end as the page runs it (www/worker.js): the report stays in the engine's
 * instance (`Session.finishView`), and what the page shows crosses to JS: the summary its controls
 * read and the first view's node tree (the overview; the funnel for a behaviour log), parsed as the
 * page's `mount` parses it. The cross-checked figures are read afterwards, untimed.
 */
export function runShoplens(file) {
  return timeSession(file, readInOnePass, pageHandOver, reportAfterwards);
}

/**
 * The same with the whole report converted to a JS object (`Session.finish`): every customer of the
 * RFM table, every product, every series, as a caller of the npm package gets it.
 */
export function runShoplensObject(file) {
  return timeSession(file, readInOnePass, (session) => session.finish());
}

/** What the page's worker hands over after a run: the summary, then the first view's tree. */
function pageHandOver(session) {
  const view = session.finishView();
  const summary = view.summary();
  const first = summary.kpi.status === 'ready' || summary.funnel.status !== 'ready' ? 'overview' : 'funnel';
  const tree = JSON.parse(view.renderTree(first, {}));
  view.free();
  return { summary, tree };
}

/** The report of a session finished by `pageHandOver`, for the cross-check (not timed). */
function reportAfterwards(_handed, session) {
  return session.reanalyze({});
}

/**
 * The same, with the report handed over as JSON text and parsed by `JSON.parse`, to size the cost
 * of building the report object property by property (`Session.finish`).
 */
export function runShoplensJson(file) {
  return timeSession(file, readInOnePass, (session) => JSON.parse(session.finishJson()));
}

/**
 * shoplens end to end with the file cut into `workers` parts read at once (`streamInParts` of
 * js/engine.js, as the page: this session reads the start, part workers the rest), the report as
 * a JS object.
 */
export function runShoplensParallel(file, workers) {
  const read = async (session, heap) => {
    const stats = {};
    const parts = await streamInParts(session, file.name, file, {
      workers,
      pool,
      onProgress: () => heap.sample(),
      stats,
    });
    return { parts, stats };
  };
  return timeSession(file, read, pageHandOver, reportAfterwards);
}

/** Streams `file` into `session` in the benchmark's 4 MiB slices and ends it. */
async function readInOnePass(session, heap, file) {
  await pushChunks(blobSliceSource(file, CHUNK_BYTES), file.name, (bytes) => session.push(file.name, bytes), {
    onChunk: () => heap.sample(),
  });
  session.endFile(file.name);
  return {};
}

/** The file's size lets the engine reserve its tables once (FileOptions.size_bytes). */
function optionsFor(file) {
  return withFileSizes(undefined, [[file.name, file.size]]);
}

/**
 * Times `file` through a new session: `read(session, heap, file)` streams it in (and returns
 * figures of its own for the result), `finish` hands the session's result over; then, untimed,
 * `reportOf(handed, session)` gives the report whose figures are cross-checked (by default what
 * `finish` handed over).
 */
async function timeSession(file, read, finish, reportOf = (handed) => handed) {
  const session = new Session(optionsFor(file));
  const heap = new HeapPeak();
  const started = performance.now();
  const extra = await read(session, heap, file);
  const ingested = performance.now();
  const handed = finish(session);
  const finished = performance.now();
  const seconds = (finished - started) / 1000;
  heap.sample();
  const report = reportOf(handed, session);
  session.free();
  return {
    seconds,
    wasmBytes: wasm.memory.buffer.byteLength,
    heapPeak: heap.peak,
    /** Of `seconds`: streaming the chunks in, and finishing (analyses and the hand-over to JS). */
    split: { ingest: (ingested - started) / 1000, finish: (finished - ingested) / 1000 },
    ...extra,
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
