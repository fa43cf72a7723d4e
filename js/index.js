// shoplens: the npm package's public API. Types and documentation: index.d.ts beside this file.
//
// No arithmetic happens here: every figure comes from the Rust engine. This module streams files
// into an engine `Session` chunk by chunk (never a whole Blob in memory), reports progress and
// honours an AbortSignal; js/engine.js loads the WebAssembly once, turns a trapped instance
// (a Rust panic) into an `internal_panic` error followed by a fresh instance, and holds the
// session layer (sources, the streaming loop, abort) that the page's workers use too.

import {
  abortError,
  bufferSource,
  callEngine,
  engineFunction,
  engineGeneration,
  glue,
  init,
  isShoplensError,
  iteratorSource,
  pushChunks,
  shoplensError,
  streamSource,
  withFileSizes,
} from './engine.js';

export { init, isShoplensError };

/** The engine's version (semver, equal to the package's). */
export async function version() {
  await init();
  return callEngine(() => glue.version());
}

// ── inputs ──────────────────────────────────────────────────────────────────────────────────

/** A chunk as the bytes the glue copies into wasm memory. */
function asBytes(chunk, name) {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw shoplensError('invalid_input', `A chunk of "${name}" is not bytes (Uint8Array or ArrayBuffer).`, {
    file: name,
  });
}

/**
 * How to read `file` ({ name, data }): its size when known, and `open()` giving a chunk source
 * `{ next(): Promise<{ done, value }>, cancel() }`. `label` names the file in the error when it
 * is malformed.
 */
function describeFile(file, label) {
  if (file === null || typeof file !== 'object' || typeof file.name !== 'string' || file.name === '') {
    throw shoplensError('invalid_input', `${label} needs a non-empty \`name\` and \`data\`.`);
  }
  const { name, data } = file;
  // A Blob or File, also from another realm (an iframe) or Node's `buffer.Blob`.
  if (typeof data?.stream === 'function' && typeof data.size === 'number') {
    return { name, totalBytes: data.size, open: () => streamSource(data.stream()) };
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes = asBytes(data, name);
    return { name, totalBytes: bytes.byteLength, open: () => bufferSource(bytes) };
  }
  if (typeof data?.getReader === 'function') return { name, totalBytes: null, open: () => streamSource(data) };
  if (typeof data?.[Symbol.asyncIterator] === 'function') {
    return { name, totalBytes: null, open: () => iteratorSource(data[Symbol.asyncIterator]()) };
  }
  throw shoplensError(
    'invalid_input',
    `The data of "${name}" must be a Uint8Array, ArrayBuffer, Blob/File, ReadableStream or async iterable of bytes.`,
    { file: name },
  );
}

// ── sessions ────────────────────────────────────────────────────────────────────────────────

/**
 * A streaming analysis over an engine `Session`. Created by `createSession`; see index.d.ts.
 * Methods are synchronous except `addFile`; the report comes from `finish()`.
 */
class AnalysisSession {
  #session;
  #generation;
  #onProgress;
  /** Declared sizes (`addFile` knows a Blob's size), for `totalBytes` in progress reports. */
  #totalBytes = new Map();

  constructor(session, onProgress) {
    this.#session = session;
    this.#generation = engineGeneration();
    this.#onProgress = onProgress;
  }

  /** Runs `body` on the engine session, refusing when it is finished or lost to a panic. */
  #use(body) {
    if (this.#session === null) {
      throw shoplensError('session_finished', 'This session was already finished.');
    }
    if (this.#generation !== engineGeneration()) {
      throw shoplensError(
        'session_lost',
        'This session was lost when the engine restarted after an internal error; start a new one.',
      );
    }
    return callEngine(() => body(this.#session));
  }

  #report(name) {
    if (!this.#onProgress) return;
    const progress = this.#use((session) => session.fileProgress(name));
    if (!progress) return;
    this.#onProgress({ ...progress, totalBytes: this.#totalBytes.get(name) ?? null });
  }

  push(name, chunk) {
    const bytes = asBytes(chunk, name);
    this.#use((session) => session.push(name, bytes));
    this.#report(name);
  }

  endFile(name) {
    this.#use((session) => session.endFile(name));
    this.#report(name);
  }

  progress() {
    return this.#use((session) => session.progress());
  }

  async addFile(file, { signal } = {}) {
    const { name, totalBytes, open } = describeFile(file, 'The file');
    if (totalBytes !== null) this.#totalBytes.set(name, totalBytes);
    if (signal?.aborted) throw abortError(signal);
    await pushChunks(open(), name, (chunk) => this.push(name, chunk), { signal });
    this.endFile(name);
  }

  finish({ keep = false } = {}) {
    const report = this.#use((session) => session.finish());
    if (!keep) this.free();
    return report;
  }

  reanalyze(options) {
    return this.#use((session) => session.reanalyze(options ?? undefined));
  }

  continuation(name) {
    return this.#use((session) => session.continuation(name));
  }

  finishPart(name) {
    const part = this.#use((session) => session.finishPart(name));
    this.free();
    return part;
  }

  appendPart(name, part) {
    const bytes = asBytes(part, name);
    this.#use((session) => session.appendPart(name, bytes));
  }

  toSql(request) {
    return this.#use((session) => session.toSql(request ?? undefined)).sql;
  }

  sqlOffers() {
    return this.#use((session) => session.sqlOffers());
  }

  free() {
    const session = this.#session;
    this.#session = null;
    if (session === null || this.#generation !== engineGeneration()) return;
    session.free();
  }
}

/**
 * A streaming session: `push(name, chunk)` any number of times (files may interleave),
 * `endFile(name)`, then `finish()` for the report. `options`: see `AnalyzeOptions` in index.d.ts.
 */
export async function createSession(options, { onProgress } = {}) {
  await init();
  const session = callEngine(() => new glue.Session(options));
  return new AnalysisSession(session, onProgress);
}

/** Codes this wrapper raises itself: they end an analysis instead of failing one file. */
const WRAPPER_CODES = new Set(['aborted', 'read_failed', 'invalid_input', 'internal_panic', 'session_lost']);

/**
 * Analyses `files` and returns the report. A file the engine cannot read is recorded in its load
 * report (`report.loads[i].error`) and the others go on; aborting, a read failure of the caller's
 * stream, and an internal error reject the promise.
 */
export async function analyze(files, options, { onProgress, signal } = {}) {
  if (!Array.isArray(files)) throw shoplensError('invalid_input', '`files` must be an array of { name, data }.');
  const seen = new Set();
  files.forEach((file, index) => {
    describeFile(file, `files[${index}]`);
    if (seen.has(file.name)) {
      throw shoplensError('invalid_input', `Two files are named "${file.name}"; names identify files.`, {
        file: file.name,
      });
    }
    seen.add(file.name);
  });
  if (signal?.aborted) throw abortError(signal);
  const sizes = files.map((file) => [file.name, describeFile(file, 'The file').totalBytes]);
  const session = await createSession(withFileSizes(options, sizes), { onProgress });
  try {
    for (const file of files) {
      try {
        await session.addFile(file, { signal });
      } catch (error) {
        // The engine's error for this file is already in its load report.
        const fileFailed = isShoplensError(error) && error.file === file.name && !WRAPPER_CODES.has(error.code);
        if (!fileFailed) throw error;
      }
    }
    return session.finish();
  } finally {
    session.free();
  }
}

// ── rendering ───────────────────────────────────────────────────────────────────────────────

/**
 * Draws `view` of `report` into `element` with the same code the shoplens page uses (browser
 * only), replacing the element's children. `options`: see `ViewOptions` in index.d.ts.
 */
export async function render(element, report, view, options) {
  await init();
  const draw = engineFunction('render');
  callEngine(() => draw(element, report, view, options));
}

/** The self-contained HTML report (one file, no script, no external resources) as text. */
export async function exportHtml(report, options) {
  await init();
  const exportReport = engineFunction('exportHtml');
  return callEngine(() => exportReport(report, options));
}

/** One table of the views in full, as CSV text (UTF-8 with BOM, for Excel). */
export async function exportCsv(report, table, options) {
  await init();
  const exportTable = engineFunction('exportCsv');
  return callEngine(() => exportTable(report, table, options));
}

/** One chart of a view as a standalone SVG document. */
export async function exportSvg(report, view, chart, options) {
  await init();
  const exportChart = engineFunction('exportSvg');
  return callEngine(() => exportChart(report, view, chart, options));
}

// ── SQL ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The load reports and options a script is written from: a session finished with `{ keep: true }`
 * holds both; a report carries its load reports, and the options it was computed with come with it.
 */
function sqlInput(from, options, name) {
  if (from instanceof AnalysisSession) {
    if (options !== undefined) {
      throw shoplensError(
        'invalid_input',
        `${name}: a session analysed with its own options; \`options\` is only for a report.`,
      );
    }
    return { session: from };
  }
  if (from !== null && typeof from === 'object' && Array.isArray(from.loads)) {
    return { loads: from.loads, options };
  }
  throw shoplensError(
    'invalid_input',
    `${name} needs a session finished with { keep: true }, or a report (with the options it was computed with).`,
  );
}

/**
 * The SQL script (DuckDB or Spark SQL) of one section's figures over one loaded file, written from
 * what ingest decided about the file and from the analysis options. See index.d.ts.
 */
export async function toSql(from, { options, ...request } = {}) {
  await init();
  const input = sqlInput(from, options, 'toSql');
  if (input.session) return input.session.toSql(request);
  const write = engineFunction('toSql');
  return callEngine(() => write(input.loads, input.options, request)).sql;
}

/** Every section × file a script could be written for, and why not when it cannot. */
export async function sqlOffers(from, { options } = {}) {
  await init();
  const input = sqlInput(from, options, 'sqlOffers');
  if (input.session) return input.session.sqlOffers();
  const list = engineFunction('sqlOffers');
  return callEngine(() => list(input.loads, input.options));
}

/** The codes of the sections that have a script, in order. */
export async function sqlSections() {
  await init();
  return callEngine(() => engineFunction('sqlSections')());
}
