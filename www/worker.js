// Engine worker: reads the user's files and computes the report off the main thread, so the page
// stays responsive however large the files are. Files are streamed (Blob.stream()) chunk by chunk
// into the engine's Session, never read whole.
//
// A big file is read by several engine instances at once (parallel.js: the file is cut at line
// starts; part workers read the later parts), with the same result as one pass.
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
//   { type: 'banner', id, runId, options }            the blocked-files banner's tree, or null
//   { type: 'export', id, runId, format, view, target, options }   format: csv | svg | html
// Messages to the page:
//   { type: 'ready', version }                      the engine is loaded
//   { type: 'progress', runId, file, bytes, rows, done, error, parts }   at most every PROGRESS_MS
//     per file; the last one (done) says in how many parts the file was read
//   { type: 'analyzing', runId }                    all files read; the analyses run
//   { type: 'done', runId, report }                 report: the summary with handover 'view'
//   { type: 'error', runId, error: { code, message, file, line, column }, fatal }
//   { type: 'reply', id, value } / { type: 'reply', id, error, fatal }   to render, banner, export
// `fatal` means the engine instance is unusable (a Rust panic): the page starts a fresh worker.
// A render for a run whose report this worker does not hold fails with `report_gone`.

import init, { Session, version } from './pkg/shoplens.js';
import { NeedsOnePass, PartWorkerPool, partsFor, streamInParts } from './parallel.js';

/** Minimum time between two progress messages of one file, ms. */
const PROGRESS_MS = 80;

/** A structured-clone-safe copy of an engine error (a JS Error with code/file/line/column). */
function plainError(error, fallbackFile = null) {
  return {
    code: typeof error?.code === 'string' ? error.code : 'internal_error',
    message: String(error?.message ?? error),
    file: error?.file ?? fallbackFile,
    line: error?.line ?? null,
    column: error?.column ?? null,
  };
}

/** Whether `error` is one of the engine's own (the instance is still sound) or a trap. */
function isEngineError(error) {
  return error?.name === 'ShoplensError' && typeof error.code === 'string';
}

/**
 * Streams one file into the session (in `parts` engine instances when it is big), posting
 * progress. Throws the engine's error for the file, `NeedsOnePass`, or an `aborted` error.
 */
async function streamFile(session, runId, name, blob, { parts, ingest, signal }) {
  const post = (bytes, rows, done, partsRead = null) =>
    self.postMessage({ type: 'progress', runId, file: name, bytes, rows, done, error: null, parts: partsRead });
  const module = await engineModule;
  const partsRead = await streamInParts(session, name, blob, {
    parts,
    module,
    pool: await partWorkers,
    ingest,
    signal,
    onProgress: (bytes, rows) => post(bytes, rows, false),
  });
  post(blob.size, session.fileProgress(name)?.rows ?? 0, true, partsRead);
}

/**
 * `options` with each file's size in `ingest.files[name].size_bytes` (unless given): the engine then
 * allocates its tables once for the whole file instead of growing them, which in WebAssembly would
 * leave every outgrown block behind (about twice the memory on a large file).
 */
function withFileSizes(options, files) {
  const perFile = { ...(options?.ingest?.files ?? {}) };
  for (const { name, blob } of files) perFile[name] = { size_bytes: blob.size, ...(perFile[name] ?? {}) };
  return { ...(options ?? {}), ingest: { ...(options?.ingest ?? {}), files: perFile } };
}

// The last finished session and what it read: when only filters or analysis options change, its
// tables are analysed again (`reanalyze`) instead of streaming every file once more.
let kept = null;

/** Reports kept for the page (handover 'view'), by run: the one on screen and maybe a newer one. */
const views = new Map();

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

function dropKept() {
  try {
    kept?.session.free();
  } catch {
    // Freeing after a trap can fail; the page replaces this worker anyway.
  }
  kept = null;
}

function freeView(view) {
  try {
    view.free();
  } catch {
    // As above.
  }
}

/** Hands the finished session's report over: kept here as a view (the page gets its summary), or whole. */
function handOver(runId, handover, signal, finishView, finishObject) {
  if (handover !== 'view') {
    self.postMessage({ type: 'done', runId, report: finishObject() });
    return;
  }
  const view = finishView();
  if (signal.aborted) {
    freeView(view);
    return;
  }
  views.set(runId, view);
  self.postMessage({ type: 'done', runId, report: view.summary() });
}

const abortedError = () => Object.assign(new Error('The analysis was aborted.'), { name: 'ShoplensError', code: 'aborted' });

async function analyze({ runId, files, options, workers, handover }, controller) {
  const { signal } = controller;
  const key = inputKey(files, options);
  if (kept?.key === key) {
    try {
      self.postMessage({ type: 'analyzing', runId });
      const session = kept.session;
      handOver(runId, handover, signal, () => session.reanalyzeView(options), () => session.reanalyze(options));
    } catch (error) {
      self.postMessage({ type: 'error', runId, error: plainError(error), fatal: !isEngineError(error) });
    }
    return;
  }
  dropKept();
  let session;
  try {
    await engineReady;
    session = new Session(withFileSizes(options, files));
  } catch (error) {
    self.postMessage({ type: 'error', runId, error: plainError(error), fatal: !isEngineError(error) });
    return;
  }
  try {
    for (const { name, blob } of files) {
      try {
        const parts = partsFor(blob.size, workers);
        try {
          await streamFile(session, runId, name, blob, { parts, ingest: options?.ingest ?? {}, signal });
        } finally {
          // Replace the workers that read parts (each reads one), for the next big file.
          if (parts > 1) (await partWorkers).warm(Math.max(PART_WORKERS, parts - 1));
        }
      } catch (error) {
        if (signal.aborted) throw abortedError();
        if (error instanceof NeedsOnePass) {
          // A cut fell inside a quoted field: start again, every file in one pass.
          session.free();
          session = null;
          return analyze({ runId, files, options, workers: 1, handover }, controller);
        }
        if (!isEngineError(error)) throw error;
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
    if (signal.aborted) throw abortedError();
    self.postMessage({ type: 'analyzing', runId });
    const finishing = session;
    handOver(runId, handover, signal, () => finishing.finishView(), () => finishing.finish());
    kept = { key, session };
    session = null;
  } catch (error) {
    self.postMessage({ type: 'error', runId, error: plainError(error), fatal: !isEngineError(error) });
  } finally {
    try {
      session?.free();
    } catch {
      // Freeing after a trap can fail; the page replaces this worker anyway.
    }
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

/** Answers a render, banner or export request about a kept report. */
function reply({ id, runId, type, view, target, format, options }) {
  try {
    const report = views.get(runId);
    if (!report) {
      throw Object.assign(new Error('This report is no longer held by the engine worker.'), {
        name: 'ShoplensError',
        code: 'report_gone',
      });
    }
    let value;
    if (type === 'render') value = report.renderTree(view, options);
    else if (type === 'banner') value = report.renderBannerTree(options) ?? null;
    else if (format === 'csv') value = report.exportCsv(target, options);
    else if (format === 'svg') value = report.exportSvg(view, target, options);
    else value = report.exportHtml(options);
    self.postMessage({ type: 'reply', id, value });
  } catch (error) {
    self.postMessage({ type: 'reply', id, error: plainError(error), fatal: !isEngineError(error) });
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
const engineReady = engineModule.then((module) => init({ module_or_path: module }));
// The engine's memory in bytes (WebAssembly memory only grows): read by the soak test
// (tests/e2e/soak.test.mjs) to check that a day of use leaks nothing.
engineReady.then((wasm) => {
  self.shoplensMemoryBytes = () => wasm.memory.buffer.byteLength;
});

/** Part workers for big files, one per extra core, started once the engine is compiled. */
const PART_WORKERS = Math.max(0, Math.min(navigator.hardwareConcurrency || 1, 4) - 1);
const partWorkers = engineModule.then((module) => {
  const pool = new PartWorkerPool(module);
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
        freeView(view);
      }
      return;
    case 'render':
    case 'banner':
    case 'export':
      reply(message);
      return;
    default:
  }
});

try {
  await engineReady;
  self.postMessage({ type: 'ready', version: version() });
} catch (error) {
  self.postMessage({ type: 'error', runId: null, error: plainError(error), fatal: true });
}
