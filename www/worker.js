// Engine worker: reads the user's files and computes the report off the main thread, so the page
// stays responsive however large the files are. Files are streamed (Blob.stream()) chunk by chunk
// into the engine's Session, never read whole. The page cancels by terminating this worker.
//
// A big file is read by several engine instances at once (parallel.js: the file is cut at line
// starts; part workers read the later parts), with the same result as one pass.
//
// Messages from the page:
//   { type: 'analyze', runId, files: [{ name, blob }], options, workers }   options: AnalyzeOptions;
//     workers: engine instances per big file (0 or absent: one per core; 1: one pass)
// Messages to the page:
//   { type: 'ready', version }                      the engine is loaded
//   { type: 'progress', runId, file, bytes, rows, done, error, parts }   at most every PROGRESS_MS
//     per file; the last one (done) says in how many parts the file was read
//   { type: 'analyzing', runId }                    all files read; the analyses run
//   { type: 'done', runId, report }
//   { type: 'error', runId, error: { code, message, file, line, column }, fatal }
// `fatal` means the engine instance is unusable (a Rust panic): the page starts a fresh worker.

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
 * progress. Throws the engine's error for the file, or `NeedsOnePass`.
 */
async function streamFile(session, runId, name, blob, { parts, ingest }) {
  const post = (bytes, rows, done, partsRead = null) =>
    self.postMessage({ type: 'progress', runId, file: name, bytes, rows, done, error: null, parts: partsRead });
  const module = await engineModule;
  const partsRead = await streamInParts(session, name, blob, {
    parts,
    module,
    pool: await partWorkers,
    ingest,
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

async function analyze({ runId, files, options, workers }) {
  const key = inputKey(files, options);
  if (kept?.key === key) {
    try {
      self.postMessage({ type: 'analyzing', runId });
      const report = kept.session.reanalyze(options);
      self.postMessage({ type: 'done', runId, report });
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
          await streamFile(session, runId, name, blob, { parts, ingest: options?.ingest ?? {} });
        } finally {
          // Replace the workers that read parts (each reads one), for the next big file.
          if (parts > 1) (await partWorkers).warm(Math.max(PART_WORKERS, parts - 1));
        }
      } catch (error) {
        if (error instanceof NeedsOnePass) {
          // A cut fell inside a quoted field: start again, every file in one pass.
          session.free();
          session = null;
          return analyze({ runId, files, options, workers: 1 });
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
    self.postMessage({ type: 'analyzing', runId });
    const report = session.finish();
    kept = { key, session };
    session = null;
    self.postMessage({ type: 'done', runId, report });
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
  if (message?.type === 'analyze') analyze(message);
});

try {
  await engineReady;
  self.postMessage({ type: 'ready', version: version() });
} catch (error) {
  self.postMessage({ type: 'error', runId: null, error: plainError(error), fatal: true });
}
