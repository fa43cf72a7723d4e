// Builds the engine for the browser into www/pkg/ (shoplens.js + shoplens_bg.wasm).
//
//   node scripts/build.mjs         release build: cargo → wasm-bindgen → wasm-opt, then the size
//   node scripts/build.mjs --dev   debug build without wasm-opt, for a quick edit-reload loop
//
// Expects the tools that scripts/setup.mjs installs.

import { renameSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { binPath, isMainModule, repoRoot, run, say, seconds } from './proc.mjs';

const WASM_TARGET = 'wasm32-unknown-unknown';
/** Where the page loads the engine from; also the Node tests. */
export const pkgDir = join(repoRoot, 'www', 'pkg');
/** The optimised module inside pkgDir (wasm-bindgen names it `<out-name>_bg.wasm`). */
export const wasmFile = join(pkgDir, 'shoplens_bg.wasm');

/**
 * WebAssembly features for wasm-opt. They must include every feature rustc emits, or wasm-opt
 * rejects the module; `rustc --print cfg --target wasm32-unknown-unknown` on Rust 1.95 (LLVM 22)
 * lists bulk-memory, multivalue, mutable-globals, nontrapping-fptoint, reference-types and
 * sign-ext; binaryen names the memory.copy/fill part of bulk-memory separately (bulk-memory-opt).
 * All of them are in every major browser released since 2021.
 */
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];

function cargoTargetDir() {
  const dir = process.env.CARGO_TARGET_DIR;
  if (!dir) return join(repoRoot, 'target');
  return isAbsolute(dir) ? dir : join(repoRoot, dir);
}

/** Compiles crate/wasm to a raw .wasm; returns its path. */
export function cargoBuild({ dev }) {
  const args = ['build', '-p', 'shoplens-wasm', '--target', WASM_TARGET];
  if (!dev) args.push('--release');
  run('cargo', args);
  return join(cargoTargetDir(), WASM_TARGET, dev ? 'debug' : 'release', 'shoplens_wasm.wasm');
}

/** Generates the ES-module glue (`--target web`) and the import-free .wasm into www/pkg/. */
export function runWasmBindgen(rawWasm, { dev }) {
  rmSync(pkgDir, { recursive: true, force: true });
  const args = ['--target', 'web', '--out-dir', pkgDir, '--out-name', 'shoplens'];
  if (dev) args.push('--debug', '--keep-debug');
  run('wasm-bindgen', [...args, rawWasm]);
}

/** Optimises www/pkg/shoplens_bg.wasm in place with binaryen's wasm-opt (from node_modules). */
export function runWasmOpt() {
  const optimised = `${wasmFile}.opt`;
  run(binPath('wasm-opt'), ['-O3', ...WASM_FEATURES, wasmFile, '-o', optimised]);
  renameSync(optimised, wasmFile);
}

/** Prints the raw and gzip size of the module the page downloads. */
export function reportSize() {
  const bytes = readFileSync(wasmFile);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const gzip = gzipSync(bytes, { level: 9 }).length;
  console.log(`wasm: ${kib(bytes.length)}, gzip ${kib(gzip)} (${relative(repoRoot, wasmFile)})`);
}

/** Runs the whole build. */
export function build({ dev = false } = {}) {
  const started = Date.now();
  const rawWasm = cargoBuild({ dev });
  runWasmBindgen(rawWasm, { dev });
  if (dev) say('wasm-opt: skipped (--dev)');
  else runWasmOpt();
  reportSize();
  say(`build done in ${seconds(Date.now() - started)}`);
}

if (isMainModule(import.meta.url)) {
  try {
    build({ dev: process.argv.includes('--dev') });
  } catch (error) {
    console.error(`[shoplens] build failed: ${error.message}`);
    process.exit(1);
  }
}
