// Parallel reading of one big file: the session that reads the file's start (in the engine worker)
// cuts the rest at line starts into parts, and part workers (part-worker.js, one engine instance
// each) read them at the same time. Each part comes back as bytes and is appended in file order,
// which gives exactly the tables and load report of one pass (crate/core/tests/parallel.rs and
// tests/e2e/parallel.test.mjs check it).
//
//   file:   [ start ─ read here ─┬─ part 1 ─┬─ part 2 ─┬ … ]
//                                 cut₁        cut₂         each cut just after a '\n'
//
// A cut inside a quoted field is caught (that part fails with `unclosed_quote`); the caller then
// reads the file in one pass (`NeedsOnePass`).

/** Files smaller than this are read in one pass: workers would cost more than they save. */
export const PARALLEL_MIN_BYTES = 48 << 20;

/**
 * Files larger than this are read in one pass: while parts are appended, the engine holds a part's
 * bytes and its decoded tables beside the whole file's tables, and a WebAssembly instance has at
 * most 4 GiB (BENCHMARKS.md has the measured memory).
 */
export const PARALLEL_MAX_BYTES = 1 << 30;

/** Read before the file is cut: enough for the engine to settle the encoding and map the header. */
const FIRST_BYTES = 4 << 20;

/** How far past a planned cut to look for a line start, per read. */
const WINDOW_BYTES = 64 << 10;

/** Minimum time between two progress reports, ms. */
const PROGRESS_MS = 80;

/** Thrown when a cut fell inside a quoted field, or a part failed: read the file in one pass. */
export class NeedsOnePass extends Error {
  constructor(cause) {
    super(`the file must be read in one pass: ${cause?.message ?? cause}`);
    this.name = 'NeedsOnePass';
    this.cause = cause;
  }
}

/**
 * How many parts to cut a file of `size` bytes into. `workers` > 0 asks for that many (tests, the
 * benchmark); 0 or undefined means one per core (at most 4) for files from PARALLEL_MIN_BYTES to
 * PARALLEL_MAX_BYTES.
 */
export function partsFor(size, workers) {
  if (workers > 0) return workers;
  const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4));
  return size < PARALLEL_MIN_BYTES || size > PARALLEL_MAX_BYTES ? 1 : cores;
}

/** The error of an aborted read, shaped like the engine's errors. */
function aborted() {
  return Object.assign(new Error('The analysis was aborted.'), { name: 'ShoplensError', code: 'aborted' });
}

/**
 * Pushes the bytes of `blob` into `session` as `name`, calling `onBytes(n)` after each chunk;
 * stops with an `aborted` error between chunks once `signal` aborts.
 */
async function pushBlob(session, name, blob, onBytes, signal) {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (signal?.aborted) throw aborted();
      session.push(name, value);
      onBytes(value.byteLength);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
}

/** `promise`, or an `aborted` rejection as soon as `signal` aborts. */
function unlessAborted(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(aborted());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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

/** Starts a part worker on the compiled engine; resolves once it is ready. */
function startPartWorker(module) {
  const worker = new Worker(new URL('./part-worker.js', import.meta.url), { type: 'module' });
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
 * longer than reading megabytes, so the page starts them when the engine loads, and the cut file's
 * parts go to workers that are already waiting. A worker reads one part and is then terminated
 * (its memory only grows); `warm` starts replacements.
 */
export class PartWorkerPool {
  #module;
  #ready = [];

  /** `module`: the compiled engine (WebAssembly.Module). */
  constructor(module) {
    this.#module = module;
  }

  /** Starts workers until `count` are ready or starting. */
  warm(count) {
    while (this.#ready.length < count) {
      const started = startPartWorker(this.#module);
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
    return this.#ready.shift() ?? startPartWorker(this.#module);
  }
}

/** Has `worker` read one part; resolves to the part's bytes. */
function readPart(worker, request, onProgress) {
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
 * Streams `blob` into `session` as file `name` and ends it, reading later parts in `parts - 1`
 * part workers when the file can be cut. `module`: the compiled engine (WebAssembly.Module);
 * `pool`: a PartWorkerPool with workers already started (else they start now);
 * `ingest`: the session's IngestOptions (the time zone and epoch rules apply to every part);
 * `onProgress(bytes, rows)`: the whole file's progress, at most every PROGRESS_MS; `stats` gets
 * seconds spent reading the file's start (`start`), waiting for parts (`waiting`) and appending
 * them (`appending`); `signal`: an AbortSignal that stops the read between chunks (`aborted`).
 * Resolves to the number of parts read. Throws the engine's error for the file's start as one pass
 * does, and `NeedsOnePass` when the session can no longer give the one-pass result.
 */
export async function streamInParts(session, name, blob, { parts, module, pool, ingest = {}, onProgress, signal, stats = {} }) {
  const clock = performance.now();
  const lap = (key, since) => {
    stats[key] = (stats[key] ?? 0) + (performance.now() - since) / 1000;
  };
  const partBytes = [0];
  const partRows = [0];
  let lastPost = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastPost < PROGRESS_MS) return;
    lastPost = now;
    partRows[0] = session.fileProgress(name)?.rows ?? 0;
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    onProgress?.(sum(partBytes), sum(partRows));
  };
  const onMainBytes = (n) => {
    partBytes[0] += n;
    progress();
  };

  const workers = pool ?? new PartWorkerPool(module);
  const first = Math.min(blob.size, FIRST_BYTES);
  // Without a pool of waiting workers, start them now, while the file's first bytes are read.
  if (!pool && parts > 1 && first < blob.size) workers.warm(parts - 1);
  await pushBlob(session, name, blob.slice(0, first), onMainBytes, signal);
  const continuation = parts > 1 && first < blob.size ? session.continuation(name) : undefined;
  const cuts = continuation ? await lineStartCuts(blob, parts, first) : [];
  if (cuts.length === 0) {
    if (!pool) for (let k = 1; k < parts; k++) workers.take().then((worker) => worker.terminate(), () => {});
    await pushBlob(session, name, blob.slice(first), onMainBytes, signal);
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
      const started = workers.take();
      starting.push(started);
      const reading = started.then((worker) =>
        readPart(worker, request, (bytes, rows) => {
          partBytes[k + 1] = bytes;
          partRows[k + 1] = rows;
          progress();
        }),
      );
      // Settled wrappers: a part that fails while the start is still read is not an unhandled
      // rejection; it is reported when its turn to be appended comes.
      settled.push(reading.then((part) => ({ part }), (error) => ({ error })));
    }
    await pushBlob(session, name, blob.slice(first, cuts[0]), onMainBytes, signal);
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
