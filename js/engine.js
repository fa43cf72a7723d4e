// The engine instance behind the public API (js/index.js): loading the WebAssembly once, errors
// shaped like the engine's own, and recovery from a trap. Not exported by the package.
//
// It is also the one session layer (issue 16 item 4) that drives the engine's `Session` for the
// package (js/index.js), the page's engine worker and part workers (www/worker.js,
// www/part-worker.js) and the benchmark page (bench/page/shoplens.js): chunk sources and the one
// streaming loop, progress pacing, abort, file sizes for the engine's tables, plain errors for
// postMessage, and parallel reading of one big file in part workers, with the number of parts
// asked of the engine (`Session.parallelParts`). The page gets this file as www/js/engine.js
// (copied by scripts/build.mjs), beside its www/pkg/ exactly as js/ is beside pkg/ here.

import * as glue from '../pkg/shoplens.js';

export { glue };

// ── errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * An `Error` shaped like the ones the engine throws (crate/wasm/src/errors.rs): `code`, `file`,
 * `line`, `column`, named `ShoplensError`.
 */
export function shoplensError(code, message, { file = null, line = null, column = null, cause } = {}) {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = 'ShoplensError';
  Object.assign(error, { code, file, line, column });
  return error;
}

/** True for an error thrown by shoplens (by the engine or by the wrapper). */
export function isShoplensError(value) {
  return value instanceof Error && value.name === 'ShoplensError' && typeof value.code === 'string';
}

/** A structured-clone-safe copy of an error (for postMessage): code, message, file, line, column. */
export function plainError(error, fallbackFile = null) {
  return {
    code: typeof error?.code === 'string' ? error.code : 'internal_error',
    message: String(error?.message ?? error),
    file: error?.file ?? fallbackFile,
    line: error?.line ?? null,
    column: error?.column ?? null,
  };
}

/** The error an aborted analysis rejects with; the signal's reason is its `cause`. */
export function abortError(signal) {
  const reason = signal?.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return shoplensError('aborted', `The analysis was aborted${why}.`, { cause: reason });
}

// ── trap recovery ───────────────────────────────────────────────────────────────────────────

/** Bumped when the instance traps: objects made by an older generation are gone. */
let generation = 0;
/** Set when the instance trapped: the next call re-instantiates the module first. */
let resetPending = false;

/** Identifies the live instance; compare to tell whether an engine object is still usable. */
export function engineGeneration() {
  return generation;
}

/**
 * Runs `body` against the engine. A `WebAssembly.RuntimeError` means the Rust code panicked (the
 * release build aborts on panic, which traps): the panic hook kept its message, and the instance is
 * replaced before the next call, because a trapped instance's memory may be half-updated. The
 * glue's `__wbg_reset_state` (wasm-bindgen `--experimental-reset-state-function`, see
 * scripts/build.mjs) re-instantiates the module it already compiled.
 */
export function callEngine(body) {
  if (resetPending) {
    glue.__wbg_reset_state();
    resetPending = false;
  }
  try {
    return body();
  } catch (error) {
    throw trapped(error);
  }
}

/**
 * `error` as it leaves the engine: a trap (`WebAssembly.RuntimeError`) becomes `internal_panic`
 * with the panic's message, and the instance is replaced before the next `callEngine`; any other
 * error is returned as it is.
 */
export function trapped(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  resetPending = true;
  generation += 1;
  let panic = null;
  try {
    panic = glue.takePanicMessage();
  } catch {
    // The trapped instance may refuse even this; the trap's own message is all there is.
  }
  return shoplensError(
    'internal_panic',
    `The shoplens engine hit an internal error and was restarted: ${panic ?? error.message}`,
    { cause: error },
  );
}

// ── loading ─────────────────────────────────────────────────────────────────────────────────

/** The loading in flight or done (`init` is idempotent); reset to null when it fails. */
let loading = null;
/** The instance's exports once loaded (its `memory`). */
let exports = null;

/** The engine's WebAssembly memory in bytes (it only grows, so this is its peak); 0 before `init`. */
export function memoryBytes() {
  return exports?.memory?.buffer.byteLength ?? 0;
}

const isNode =
  typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

/** URL schemes that name something to fetch rather than a file (in Node). */
const FETCHED_SCHEMES = new Set(['http:', 'https:', 'data:', 'blob:']);

/**
 * In Node, reads a `file:` URL or a path with `fs` (Node's `fetch` has no `file:`); anything else
 * is handed to the glue as it is (URL, Response, bytes, WebAssembly.Module).
 */
async function wasmSource(input) {
  if (!isNode) return input;
  let url = null;
  if (input instanceof URL) url = input;
  else if (typeof input === 'string') {
    const scheme = /^([a-z][a-z0-9+.-]+:)/i.exec(input)?.[1]?.toLowerCase();
    if (scheme === 'file:' || FETCHED_SCHEMES.has(scheme)) url = new URL(input);
    else return readNodeFile(input); // a path (a Windows drive letter is not a scheme: 2+ chars)
  }
  if (url === null || FETCHED_SCHEMES.has(url.protocol)) return input;
  return readNodeFile(url);
}

async function readNodeFile(pathOrUrl) {
  // A computed specifier, so that bundlers building for the browser leave it alone.
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule);
  return readFile(pathOrUrl);
}

/**
 * Loads and instantiates the engine once; later calls return the same promise and ignore their
 * argument. `input`: a URL or path, a `Response` (or a promise of one), the module's bytes, or a
 * compiled `WebAssembly.Module`. Default: `pkg/shoplens_bg.wasm` next to the glue, fetched in a
 * browser or worker, read from disk in Node.
 */
export function init(input) {
  loading ??= (async () => {
    const resolved = await input;
    // Written out in full so that bundlers see the asset and copy it.
    const source = resolved ?? new URL('../pkg/shoplens_bg.wasm', import.meta.url);
    exports = await glue.default({ module_or_path: await wasmSource(source) });
  })().catch((error) => {
    loading = null;
    throw shoplensError('wasm_load_failed', `Could not load the shoplens engine: ${error.message}`, {
      cause: error,
    });
  });
  return loading;
}

/** The glue's function `name`, or a `not_available` error when this build lacks it. */
export function engineFunction(name) {
  const fn = glue[name];
  if (typeof fn !== 'function') {
    throw shoplensError('not_available', `This build of the shoplens engine has no \`${name}\`.`);
  }
  return fn;
}

// ── driving a session ───────────────────────────────────────────────────────────────────────

/** Minimum time between two progress reports of one file, ms. */
export const PROGRESS_MS = 80;

/** A pacer: `due()` is true at most every `ms` (always with `due(true)`). */
export function progressPacer(ms = PROGRESS_MS) {
  let last = -Infinity;
  return (force = false) => {
    const now = performance.now();
    if (!force && now - last < ms) return false;
    last = now;
    return true;
  };
}

/**
 * `options` with each file's size in `ingest.files[name].size_bytes` (unless given): the engine then
 * allocates its tables once for the whole file instead of growing them, which in WebAssembly would
 * leave every outgrown block behind (about twice the memory on a large file). `sizes`: `[name,
 * bytes]` pairs; a size that is not a number is skipped.
 */
export function withFileSizes(options, sizes) {
  const known = sizes.filter(([, bytes]) => typeof bytes === 'number');
  if (known.length === 0) return options;
  const files = { ...(options?.ingest?.files ?? {}) };
  for (const [name, bytes] of known) files[name] = { size_bytes: bytes, ...(files[name] ?? {}) };
  return { ...(options ?? {}), ingest: { ...(options?.ingest ?? {}), files } };
}

/** Size of the slices an in-memory buffer is pushed in, so progress and abort are seen between. */
const BUFFER_CHUNK_BYTES = 1 << 20;

/** Yields to the event loop (a macrotask, not clamped like nested timers) so abort and UI run. */
function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** An in-memory buffer in slices (views, no copies), with a macrotask between slices. */
export function bufferSource(bytes) {
  let start = 0;
  return {
    async next() {
      if (start >= bytes.byteLength) return { done: true, value: undefined };
      if (start > 0) await nextTask();
      const value = bytes.subarray(start, start + BUFFER_CHUNK_BYTES);
      start += BUFFER_CHUNK_BYTES;
      return { done: false, value };
    },
    cancel() {
      start = bytes.byteLength;
    },
  };
}

/** A ReadableStream's reader (a Blob's `stream()`); `cancel()` also settles a read still pending. */
export function streamSource(stream) {
  const reader = stream.getReader();
  return {
    next: () => reader.read(),
    cancel: () => {
      reader.cancel().catch(() => {});
    },
  };
}

/**
 * A Blob in slices of `bytes`, the next slice read while the current one is pushed (as the
 * benchmark reads its files).
 */
export function blobSliceSource(blob, bytes) {
  const read = (offset) => (offset < blob.size ? blob.slice(offset, offset + bytes).arrayBuffer() : null);
  let offset = 0;
  let pending = read(0);
  return {
    async next() {
      if (pending === null) return { done: true, value: undefined };
      const value = new Uint8Array(await pending);
      offset += bytes;
      pending = read(offset);
      return { done: false, value };
    },
    cancel() {
      pending = null;
    },
  };
}

/** An async iterator (e.g. a Node `Readable`), closed through `return()` on cancel. */
export function iteratorSource(iterator) {
  return {
    next: () => iterator.next(),
    cancel: () => {
      Promise.resolve(iterator.return?.()).catch(() => {});
    },
  };
}

/** `promise`, or a rejection with an `aborted` error as soon as `signal` aborts. */
export function unlessAborted(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The one streaming loop: reads `source` ({ next(), cancel() }, see above) chunk by chunk and
 * hands each chunk to `push(bytes)` (which pushes it into a session), then `onChunk(byteLength)`.
 * Stops with `aborted` as soon as `signal` aborts (a pending read is abandoned), and turns a failure
 * of the source itself into `read_failed` for file `name`. The source is cancelled on any error.
 */
export async function pushChunks(source, name, push, { signal, onChunk } = {}) {
  try {
    for (;;) {
      let next;
      try {
        next = await unlessAborted(source.next(), signal);
      } catch (error) {
        if (isShoplensError(error)) throw error;
        throw shoplensError('read_failed', `Could not read "${name}": ${error?.message ?? error}`, {
          file: name,
          cause: error,
        });
      }
      if (next.done) return;
      push(next.value);
      onChunk?.(next.value.byteLength);
    }
  } catch (error) {
    // Stop reading; not awaited, as a stream that hangs may never confirm.
    source.cancel();
    throw error;
  }
}

// ── parallel reading of one big file ────────────────────────────────────────────────────────
//
//   file:   [ start ─ read here ─┬─ part 1 ─┬─ part 2 ─┬ … ]
//                                 cut₁        cut₂         each cut just after a '\n'
//
// The session that reads the file's start cuts the rest at line starts into parts, and part
// workers (one engine instance each, www/part-worker.js) read them at the same time. Each part
// comes back as bytes and is appended in file order, which gives exactly the tables and load
// report of one pass (crate/core/tests/parallel.rs and tests/e2e/parallel.test.mjs check it). A
// cut inside a quoted field is caught (that part fails with `unclosed_quote`); the caller then
// reads the file in one pass (`NeedsOnePass`). How many parts a file is worth, given its kind,
// encoding, size and the memory it may use, is the engine's call (`Session.parallelParts`).

/** Read before the file is cut: enough for the engine to settle the encoding and map the header. */
const FIRST_BYTES = 4 << 20;

/** How far past a planned cut to look for a line start, per read. */
const WINDOW_BYTES = 64 << 10;

/** Engine instances this machine runs at once for one file (at most 4: measured, no gain beyond). */
export function coresForParts() {
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  return Math.max(1, Math.min(cores, 4));
}

/** Thrown when a cut fell inside a quoted field, or a part failed: read the file in one pass. */
export class NeedsOnePass extends Error {
  constructor(cause) {
    super(`the file must be read in one pass: ${cause?.message ?? cause}`);
    this.name = 'NeedsOnePass';
    this.cause = cause;
  }
}

/**
 * `parts - 1` cut offsets in `blob`, each just after a `\n`, near equal shares and after `from`.
 * Fewer when the file has too few lines.
 */
export async function lineStartCuts(blob, parts, from) {
  const cuts = [];
  for (let k = 1; k < parts; k++) {
    let at = Math.max(from, Math.floor((blob.size * k) / parts), cuts.at(-1) ?? 0);
    for (;;) {
      const window = new Uint8Array(await blob.slice(at, at + WINDOW_BYTES).arrayBuffer());
      if (window.length === 0) return cuts;
      const newline = window.indexOf(10);
      if (newline >= 0) {
        const cut = at + newline + 1;
        if (cut >= blob.size) return cuts;
        cuts.push(cut);
        break;
      }
      at += window.length;
    }
  }
  return cuts;
}

/** Starts a part worker (script `url`) on the compiled engine; resolves once it is ready. */
function startPartWorker(url, module) {
  const worker = new Worker(url, { type: 'module' });
  return new Promise((resolve, reject) => {
    const onMessage = ({ data }) => {
      worker.removeEventListener('message', onMessage);
      if (data.type === 'ready') resolve(worker);
      else {
        worker.terminate();
        reject(Object.assign(new Error(data.error?.message), data.error));
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (event) => reject(new Error(event.message)));
    worker.postMessage({ type: 'init', module });
  });
}

/**
 * Part workers started ahead of need: starting one (a worker, the glue, an engine instance) takes
 * longer than reading megabytes, so the page starts them when its engine loads, and the cut file's
 * parts go to workers that are already waiting. A worker reads one part and is then terminated
 * (its memory only grows); `warm` starts replacements.
 */
export class PartWorkerPool {
  #url;
  #module;
  #ready = [];

  /** `url`: the part worker's script (www/part-worker.js); `module`: the compiled engine. */
  constructor(url, module) {
    this.#url = url;
    this.#module = module;
  }

  /** Starts workers until `count` are ready or starting. */
  warm(count) {
    while (this.#ready.length < count) {
      const started = startPartWorker(this.#url, this.#module);
      // A worker that fails to start is dropped here and reported when taken.
      started.catch(() => {});
      this.#ready.push(started);
    }
  }

  /** Puts back a ready worker that was taken but not given a part. */
  give(worker) {
    this.#ready.push(Promise.resolve(worker));
  }

  /** A worker (promise): a waiting one, else one started now. */
  take() {
    return this.#ready.shift() ?? startPartWorker(this.#url, this.#module);
  }
}

/** Has `worker` read one part; resolves to the part's bytes. */
function readPartIn(worker, request, onProgress) {
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', ({ data }) => {
      if (data.id !== request.id) return;
      if (data.type === 'progress') onProgress(data.bytes, data.rows);
      else if (data.type === 'done') resolve(data.part);
      else if (data.type === 'error') reject(Object.assign(new Error(data.error.message), data.error));
    });
    worker.addEventListener('error', (event) => reject(new Error(event.message)));
    worker.postMessage({ type: 'part', ...request });
  });
}

/**
 * In a part worker: reads one part (`blob`, a later part of file `name`) into a new session
 * created with `ingest` (which holds the file's continuation), posting `progress` through `post`,
 * and resolves to the part's bytes for `appendPart`.
 */
export async function readPart({ id, name, blob, ingest }, post) {
  const session = callEngine(() => new glue.Session({ ingest }));
  const due = progressPacer();
  let bytes = 0;
  try {
    await pushChunks(streamSource(blob.stream()), name, (chunk) => callEngine(() => session.push(name, chunk)), {
      onChunk: (n) => {
        bytes += n;
        if (due()) post({ type: 'progress', id, bytes, rows: session.fileProgress(name)?.rows ?? 0 });
      },
    });
    return callEngine(() => session.finishPart(name));
  } finally {
    try {
      session.free();
    } catch {
      // After a trap; the worker is terminated after its part anyway.
    }
  }
}

/**
 * Streams `blob` into `session` as file `name` and ends it, reading later parts in part workers
 * when the file can be cut: `workers` > 0 asks for that many engine instances (tests, the
 * benchmark), else the engine says how many this file is worth on `coresForParts()` cores.
 * `pool`: a PartWorkerPool (workers already started, or started now); `ingest`: the session's
 * IngestOptions (the time zone and epoch rules apply to every part); `onProgress(bytes, rows)`:
 * the whole file's progress, at most every PROGRESS_MS; `signal`: stops the read between chunks
 * (`aborted`); `stats` gets seconds spent reading the file's start (`start`), waiting for parts
 * (`waiting`) and appending them (`appending`).
 * Resolves to the number of parts read. Throws the engine's error for the file's start as one pass
 * does, and `NeedsOnePass` when the session can no longer give the one-pass result.
 */
export async function streamInParts(session, name, blob, { workers, pool, ingest = {}, onProgress, signal, stats = {} }) {
  const clock = performance.now();
  const lap = (key, since) => {
    stats[key] = (stats[key] ?? 0) + (performance.now() - since) / 1000;
  };
  const partBytes = [0];
  const partRows = [0];
  const due = progressPacer();
  const progress = (force = false) => {
    if (!due(force)) return;
    partRows[0] = session.fileProgress(name)?.rows ?? 0;
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    onProgress?.(sum(partBytes), sum(partRows));
  };
  const read = (from, to) =>
    pushChunks(streamSource(blob.slice(from, to).stream()), name, (chunk) => session.push(name, chunk), {
      signal,
      onChunk: (n) => {
        partBytes[0] += n;
        progress();
      },
    });

  const first = Math.min(blob.size, FIRST_BYTES);
  const cores = workers > 0 ? workers : coresForParts();
  await read(0, first);
  const continuation = cores > 1 && first < blob.size ? session.continuation(name) : undefined;
  const parts = continuation === undefined ? 1 : workers > 0 ? workers : session.parallelParts(name, blob.size, cores);
  const cuts = parts > 1 ? await lineStartCuts(blob, parts, first) : [];
  if (cuts.length === 0) {
    await read(first, blob.size);
    session.endFile(name);
    progress(true);
    return 1;
  }

  const bounds = [...cuts, blob.size];
  const starting = [];
  const settled = [];
  try {
    for (let k = 0; k < cuts.length; k++) {
      partBytes.push(0);
      partRows.push(0);
      const request = {
        id: k + 1,
        name,
        blob: blob.slice(bounds[k], bounds[k + 1]),
        ingest: {
          ...ingest,
          files: { [name]: { continuation, size_bytes: bounds[k + 1] - bounds[k] } },
        },
      };
      const started = pool.take();
      starting.push(started);
      const reading = started.then((worker) =>
        readPartIn(worker, request, (bytes, rows) => {
          partBytes[k + 1] = bytes;
          partRows[k + 1] = rows;
          progress();
        }),
      );
      // Settled wrappers: a part that fails while the start is still read is not an unhandled
      // rejection; it is reported when its turn to be appended comes.
      settled.push(reading.then((part) => ({ part }), (error) => ({ error })));
    }
    await read(first, cuts[0]);
    try {
      session.endFile(name);
      lap('start', clock);
    } catch (error) {
      // The start ends inside a quoted field: the first cut was not a record start (or the file
      // is cut off there; one pass tells which).
      throw new NeedsOnePass(error);
    }
    for (let k = 0; k < settled.length; k++) {
      const waited = performance.now();
      const { part, error } = await unlessAborted(settled[k], signal);
      lap('waiting', waited);
      if (error) throw new NeedsOnePass(error);
      partBytes[k + 1] = bounds[k + 1] - bounds[k];
      const appending = performance.now();
      try {
        session.appendPart(name, part);
      } catch (appendError) {
        throw new NeedsOnePass(appendError);
      }
      lap('appending', appending);
    }
  } finally {
    // Also the workers still starting or reading when a part failed: their work is not needed.
    for (const started of starting) started.then((worker) => worker.terminate(), () => {});
  }
  progress(true);
  return bounds.length;
}
