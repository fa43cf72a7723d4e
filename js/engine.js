// The engine instance behind the public API (js/index.js): loading the WebAssembly once, errors
// shaped like the engine's own, and recovery from a trap. Not exported by the package.

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
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    resetPending = true;
    generation += 1;
    let panic = null;
    try {
      panic = glue.takePanicMessage();
    } catch {
      // The trapped instance may refuse even this; the trap's own message is all there is.
    }
    throw shoplensError(
      'internal_panic',
      `The shoplens engine hit an internal error and was restarted: ${panic ?? error.message}`,
      { cause: error },
    );
  }
}

// ── loading ─────────────────────────────────────────────────────────────────────────────────

/** The loading in flight or done (`init` is idempotent); reset to null when it fails. */
let loading = null;

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
    await glue.default({ module_or_path: await wasmSource(source) });
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
