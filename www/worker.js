// Engine worker: reads the user's files and computes the report off the main thread, so the page
// stays responsive however large the files are. Files are streamed (Blob.stream()) chunk by chunk
// into the engine's Session, never read whole. The page cancels by terminating this worker.
//
// Messages from the page:
//   { type: 'analyze', runId, files: [{ name, blob }], options }   options: AnalyzeOptions
// Messages to the page:
//   { type: 'ready', version }                      the engine is loaded
//   { type: 'progress', runId, file, bytes, rows, done, error }   at most every PROGRESS_MS per file
//   { type: 'analyzing', runId }                    all files read; the analyses run
//   { type: 'done', runId, report }
//   { type: 'error', runId, error: { code, message, file, line, column }, fatal }
// `fatal` means the engine instance is unusable (a Rust panic): the page starts a fresh worker.

import init, { Session, version } from './pkg/shoplens.js';

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

/** Streams one file into the session, posting progress. Throws the engine's error for the file. */
async function streamFile(session, runId, name, blob) {
  const reader = blob.stream().getReader();
  let bytes = 0;
  let lastPost = 0;
  const post = (done) => {
    const rows = session.fileProgress(name)?.rows ?? 0;
    self.postMessage({ type: 'progress', runId, file: name, bytes, rows, done, error: null });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      session.push(name, value);
      bytes += value.byteLength;
      const now = performance.now();
      if (now - lastPost >= PROGRESS_MS) {
        lastPost = now;
        post(false);
      }
    }
    session.endFile(name);
    post(true);
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
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

async function analyze({ runId, files, options }) {
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
        await streamFile(session, runId, name, blob);
      } catch (error) {
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

// Fetches ./pkg/shoplens_bg.wasm next to the glue module. A message that arrives first waits.
const engineReady = init();

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
