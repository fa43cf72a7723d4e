// Engine worker: reads the user's files and computes the report off the main thread, so the page
// stays responsive however large the files are. Files are streamed (Blob.stream()) chunk by chunk
// into the engine's Session, never read whole.
//
// The session is driven by the one session layer, js/engine.js (served as js/engine.js here,
// copied by scripts/build.mjs): streaming, progress pacing, abort, trap recovery, and parallel
// reading of a big file (cut at line starts; part workers read the later parts, as many as the
// engine says the file is worth), with the same result as one pass.
//
// The report stays here (issue 16 item 5): with `handover: 'view'` the page gets the report's
// summary (the few fields its controls read) and asks for each view it draws, as a node tree it
// mounts (mount.js), and for the exports as text. Without it, `done` carries the whole report as
// a JS object (what `Session.finish()` gives; tests/e2e/parallel.test.mjs compares those).
//
// Messages from the page:
//   { type: 'analyze', runId, files: [{ name, blob }], options, workers, handover }
//     options: AnalyzeOptions; workers: engine instances per big file (0 or absent: one per core;
//     1: one pass); handover: 'view' (keep the report here) or absent (send it whole)
//   { type: 'abort', runId }              stop that run at the next chunk (or drop its result)
//   { type: 'keep', runId }               the page shows this run's report: free the others
//   { type: 'render', id, runId, view, options }     a view's tree (ViewOptions)
//   { type: 'export', id, runId, format, view, target, options }   format: csv | svg | html
// Messages to the page:
//   { type: 'ready', version }                      the engine is loaded
//   { type: 'progress', runId, file, bytes, rows, done, error, parts }   at most every PROGRESS_MS
//     per file; the last one (done) says in how many parts the file was read
//   { type: 'analyzing', runId }                    all files read; the analyses run
//   { type: 'done', runId, report }                 report: the summary with handover 'view'
//   { type: 'error', runId, error: { code, message, file, line, column }, fatal }
//   { type: 'reply', id, value } / { type: 'reply', id, error, fatal }   to render, export
// A Rust panic arrives as `internal_panic`: the engine instance is replaced on the next call
// (js/engine.js), and what the old one held (the kept tables, the reports) is gone: a render for
// a run whose report this worker does not hold fails with `report_gone`. `fatal` means this
// worker itself is broken (an error outside the engine): the page starts a fresh one.

import {
  callEngine,
  coresForParts,
  engineGeneration,
  glue,
  init,
  isShoplensError,
  memoryBytes,
  NeedsOnePass,
  PartWorkerPool,
  plainError,
  shoplensError,
  streamInParts,
  trapped,
  withFileSizes,
} from './js/engine.js';

/** An error as the page gets it; `fatal` unless it is one of shoplens's own (a trap included). */
function postError(runId, error) {
  const checked = trapped(error);
  forgetIfTrapped();
  self.postMessage({ type: 'error', runId, error: plainError(checked), fatal: !isShoplensError(checked) });
}

/**
 * Streams one file into the session (in several engine instances when it is big), posting
 * progress. Throws the engine's error for the file, `NeedsOnePass`, or an `aborted` error.
 */
async function streamFile(session, runId, name, blob, { workers, ingest, signal }) {
  const post = (bytes, rows, done, partsRead = null) =>
    self.postMessage({ type: 'progress', runId, file: name, bytes, rows, done, error: null, parts: partsRead });
  const pool = await partWorkers;
  try {
    const partsRead = await streamInParts(session, name, blob, {
      workers,
      pool,
      ingest,
      signal,
      onProgress: (bytes, rows) => post(bytes, rows, false),
    });
    post(blob.size, session.fileProgress(name)?.rows ?? 0, true, partsRead);
  } finally {
    // Replace the workers that read parts (each reads one), for the next big file.
    pool.warm(PART_WORKERS);
  }
}

// The last finished session and what it read: when only filters or analysis options change, its
// tables are analysed again (`reanalyze`) instead of streaming every file once more.
let kept = null;

/** Reports kept for the page (handover 'view'), by run: the one on screen and maybe a newer one. */
const views = new Map();

/** The engine instance the kept session and views belong to (see forgetIfTrapped). */
let generation = engineGeneration();

/**
 * After a trap the instance is replaced on the next call: the old one's objects are dropped
 * without `free()` (their memory belongs to the trapped instance).
 */
function forgetIfTrapped() {
  if (generation === engineGeneration()) return;
  generation = engineGeneration();
  kept = null;
  views.clear();
}

/** The run streaming now: { runId, controller }. Runs take turns (`turn`). */
let running = null;
let turn = Promise.resolve();
/** Runs aborted before their turn came, and the last run started. */
const abortedEarly = new Set();
let lastStarted = 0;

/** Same files (name, size, date) and same ingest options: the tables would come out the same. */
function inputKey(files, options) {
  const fileKey = files.map(({ name, blob }) => [name, blob.size, blob.lastModified ?? null]);
  return JSON.stringify([fileKey, options?.ingest ?? null]);
}

function free(object) {
  try {
    object?.free();
  } catch {
    // Freeing after a trap can fail; forgetIfTrapped drops those objects anyway.
  }
}

function dropKept() {
  free(kept?.session);
  kept = null;
}

/**
 * Hands the finished session's report over: kept here as a view (the page gets its summary, and
 * frees the one it no longer shows with `keep`), or whole.
 */
function handOver(runId, handover, signal, finishView, finishObject) {
  if (handover !== 'view') {
    self.postMessage({ type: 'done', runId, report: callEngine(finishObject) });
    return;
  }
  const view = callEngine(finishView);
  if (signal.aborted) {
    free(view);
    return;
  }
  views.set(runId, view);
  self.postMessage({ type: 'done', runId, report: callEngine(() => view.summary()) });
}

async function analyze({ runId, files, options, workers, handover }, controller) {
  const { signal } = controller;
  const key = inputKey(files, options);
  if (kept?.key === key) {
    try {
      self.postMessage({ type: 'analyzing', runId });
      const session = kept.session;
      handOver(runId, handover, signal, () => session.reanalyzeView(options), () => session.reanalyze(options));
    } catch (error) {
      postError(runId, error);
    }
    return;
  }
  dropKept();
  let session;
  let born;
  try {
    await engineReady;
    session = callEngine(() => new glue.Session(withFileSizes(options, files.map(({ name, blob }) => [name, blob.size]))));
    forgetIfTrapped();
    born = engineGeneration();
  } catch (error) {
    postError(runId, error);
    return;
  }
  try {
    for (const { name, blob } of files) {
      try {
        await streamFile(session, runId, name, blob, { workers, ingest: options?.ingest ?? {}, signal });
      } catch (error) {
        if (signal.aborted) throw shoplensError('aborted', 'The analysis was aborted.');
        if (error instanceof NeedsOnePass) {
          // A cut fell inside a quoted field: start again, every file in one pass.
          free(session);
          session = null;
          return analyze({ runId, files, options, workers: 1, handover }, controller);
        }
        if (!isShoplensError(error)) throw error;
        // The engine keeps this file's error in its load report; the other files go on.
        self.postMessage({
          type: 'progress',
          runId,
          file: name,
          bytes: blob.size,
          rows: 0,
          done: true,
          error: plainError(error, name),
        });
      }
    }
    if (signal.aborted) throw shoplensError('aborted', 'The analysis was aborted.');
    self.postMessage({ type: 'analyzing', runId });
    const finishing = session;
    handOver(runId, handover, signal, () => finishing.finishView(), () => finishing.finish());
    kept = { key, session };
    session = null;
  } catch (error) {
    postError(runId, error);
  } finally {
    // A session of a trapped instance is dropped, not freed.
    if (born === engineGeneration()) free(session);
  }
}

/** Runs one analysis after the ones before it (an aborted one stops at its next chunk). */
function enqueue(message) {
  turn = turn.then(async () => {
    const controller = new AbortController();
    lastStarted = message.runId;
    if (abortedEarly.delete(message.runId)) return;
    running = { runId: message.runId, controller };
    try {
      await analyze(message, controller);
    } finally {
      running = null;
    }
  });
}

/** Answers a render or export request about a kept report. */
function reply({ id, runId, type, view, target, format, options }) {
  try {
    const report = views.get(runId);
    if (!report) throw shoplensError('report_gone', 'This report is no longer held by the engine worker.');
    let value;
    if (type === 'render') value = callEngine(() => report.renderTree(view, options));
    else if (format === 'csv') value = callEngine(() => report.exportCsv(target, options));
    else if (format === 'svg') value = callEngine(() => report.exportSvg(view, target, options));
    else value = callEngine(() => report.exportHtml(options));
    self.postMessage({ type: 'reply', id, value });
  } catch (error) {
    forgetIfTrapped();
    self.postMessage({ type: 'reply', id, error: plainError(error), fatal: !isShoplensError(error) });
  }
}

// The engine, compiled once: this worker instantiates it, and part workers get the same module.
const engineModule = (async () => {
  const url = new URL('./pkg/shoplens_bg.wasm', import.meta.url);
  const response = await fetch(url);
  return WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
})();
// A message that arrives first waits.
const engineReady = engineModule.then((module) => init(module));
// The engine's memory in bytes (WebAssembly memory only grows): read by the soak test
// (tests/e2e/soak.test.mjs) to check that a day of use leaks nothing.
self.shoplensMemoryBytes = memoryBytes;

/** Part workers for big files, one per extra core, started once the engine is compiled. */
const PART_WORKERS = coresForParts() - 1;
const partWorkers = engineModule.then((module) => {
  const pool = new PartWorkerPool(new URL('./part-worker.js', import.meta.url), module);
  pool.warm(PART_WORKERS);
  return pool;
});

self.addEventListener('message', (event) => {
  const message = event.data;
  switch (message?.type) {
    case 'analyze':
      enqueue(message);
      return;
    case 'abort':
      if (running?.runId === message.runId) running.controller.abort();
      else if (message.runId > lastStarted) abortedEarly.add(message.runId);
      return;
    case 'keep':
      for (const [runId, view] of views) {
        if (runId === message.runId) continue;
        views.delete(runId);
        free(view);
      }
      return;
    case 'render':
    case 'export':
      reply(message);
      return;
    default:
  }
});

try {
  await engineReady;
  self.postMessage({ type: 'ready', version: callEngine(() => glue.version()) });
} catch (error) {
  self.postMessage({ type: 'error', runId: null, error: plainError(error), fatal: true });
}
