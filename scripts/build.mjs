// Builds the engine for the browser into www/pkg/ (shoplens.js + shoplens_bg.wasm), and copies
// the same two files into pkg/, where the npm package (js/index.js, package.json `files`) has them,
// and js/engine.js (the session layer) into www/js/, where the page's workers import it.
//
//   node scripts/build.mjs         release build: cargo → wasm-bindgen → wasm-opt, then the size
//   node scripts/build.mjs --dev   debug build without wasm-opt, for a quick edit-reload loop
//   node scripts/build.mjs --testing   release build with the test-only bindings (`npm test` does)
//
// Expects the tools that scripts/setup.mjs installs.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { binPath, isMainModule, repoRoot, run, say, seconds } from './proc.mjs';

const WASM_TARGET = 'wasm32-unknown-unknown';
/** Where the page loads the engine from; also the Node tests. */
export const pkgDir = join(repoRoot, 'www', 'pkg');
/** The optimised module inside pkgDir (wasm-bindgen names it `<out-name>_bg.wasm`). */
export const wasmFile = join(pkgDir, 'shoplens_bg.wasm');
/** The npm package's copy of the engine, imported by js/index.js as `../pkg/shoplens.js`. */
export const npmPkgDir = join(repoRoot, 'pkg');
/**
 * What the package needs from the build: the glue, the module and the glue's JS snippets
 * (`snippets/`: wasm-bindgen's files for `inline_js`, imported by the glue), not the glue's own .d.ts.
 */
export const NPM_PKG_FILES = ['shoplens.js', 'shoplens_bg.wasm', 'snippets'];

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

/**
 * Compiles crate/wasm to a raw .wasm; returns its path. `targetDir` and `env` (e.g.
 * `CARGO_PROFILE_RELEASE_OPT_LEVEL`) let scripts/measure-opt-level.mjs build variants aside.
 */
export function cargoBuild({ dev, testing = dev, targetDir = cargoTargetDir(), env = {} }) {
  const args = ['build', '-p', 'shoplens-wasm', '--target', WASM_TARGET];
  if (!dev) args.push('--release');
  // The bindings only the tests and the benchmark call (crate/wasm/Cargo.toml).
  if (testing) args.push('--features', 'testing');
  run('cargo', args, { env: { ...env, CARGO_TARGET_DIR: targetDir } });
  return join(targetDir, WASM_TARGET, dev ? 'debug' : 'release', 'shoplens_wasm.wasm');
}

/**
 * Generates the ES-module glue (`--target web`) and the import-free .wasm into www/pkg/.
 * `--experimental-reset-state-function` adds `__wbg_reset_state()`, which re-instantiates the
 * compiled module: after a Rust panic the instance has trapped and is unusable, and js/index.js
 * uses it to start afresh on the next call (objects of the old instance then refuse to be used).
 * wasm-bindgen is pinned (Cargo.lock), so the experimental flag cannot change under us.
 */
export function runWasmBindgen(rawWasm, { dev, outDir = pkgDir }) {
  rmSync(outDir, { recursive: true, force: true });
  const args = ['--target', 'web', '--out-dir', outDir, '--out-name', 'shoplens'];
  args.push('--experimental-reset-state-function');
  if (dev) args.push('--debug', '--keep-debug');
  run('wasm-bindgen', [...args, rawWasm]);
}

/**
 * Optimises `file` (default www/pkg/shoplens_bg.wasm) in place with binaryen's wasm-opt (from
 * node_modules) at `level` (`-O3`, `-Os`, `-Oz`). It also drops the names section (function names,
 * ~10 % of the module, used only by debuggers: a panic's message and location come from the panic
 * hook, not from names) and the producers section.
 */
export function runWasmOpt({ file = wasmFile, level = '-O3' } = {}) {
  const optimised = `${file}.opt`;
  const strip = ['--strip-debug', '--strip-producers'];
  run(binPath('wasm-opt'), [level, ...strip, ...WASM_FEATURES, file, '-o', optimised]);
  renameSync(optimised, file);
}

/** Raw and gzip (level 9, as servers compress) size of a module, in bytes. */
export function wasmSizes(file = wasmFile) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Prints the raw and gzip size of the module the page downloads. */
export function reportSize() {
  const { raw, gzip } = wasmSizes();
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`wasm: ${kib(raw)}, gzip ${kib(gzip)} (${relative(repoRoot, wasmFile)})`);
}

/** The page's copy of the session layer: www/js/engine.js beside www/pkg/, as js/ is beside pkg/. */
export const pageDriverDir = join(repoRoot, 'www', 'js');

/**
 * Copies js/engine.js (the one session layer: streaming, abort, trap recovery, parallel parts) to
 * www/js/, where the page's engine worker and part workers import it: www/ is served on its own,
 * so the page cannot reach js/. Done on every build, also when the engine is unchanged.
 */
export function copyPageDriver() {
  mkdirSync(pageDriverDir, { recursive: true });
  cpSync(join(repoRoot, 'js', 'engine.js'), join(pageDriverDir, 'engine.js'));
}

/** Copies the glue and the .wasm from www/pkg/ into pkg/ for the npm package. */
export function copyNpmLayout() {
  rmSync(npmPkgDir, { recursive: true, force: true });
  mkdirSync(npmPkgDir);
  for (const name of NPM_PKG_FILES) cpSync(join(pkgDir, name), join(npmPkgDir, name), { recursive: true });
  say(`npm layout: ${NPM_PKG_FILES.map((name) => `pkg/${name}`).join(', ')}`);
}

/**
 * What the steps after cargo depend on: the raw module's bytes, the mode, this script (its flags)
 * and the pinned wasm-bindgen and wasm-opt. When it matches the stamp of the last build and the outputs are all
 * there, wasm-bindgen and wasm-opt (about 90 s at -O3) are skipped: a second `npm start` on an
 * unchanged tree serves in seconds. Cargo decides on its own what to rebuild.
 */
const stampFile = join(pkgDir, '.build-stamp');

function buildStamp(rawWasm, dev, testing) {
  const hash = createHash('sha256');
  hash.update(readFileSync(rawWasm));
  hash.update(dev ? 'dev' : 'release');
  hash.update(testing ? 'testing' : 'shipped');
  hash.update(readFileSync(new URL(import.meta.url)));
  // The pinned wasm-bindgen (Cargo.lock) and wasm-opt (binaryen, package-lock.json).
  for (const lock of ['Cargo.lock', 'package-lock.json'].map((name) => join(repoRoot, name))) {
    if (existsSync(lock)) hash.update(readFileSync(lock));
  }
  return hash.digest('hex');
}

function outputsPresent() {
  return NPM_PKG_FILES.every((name) => existsSync(join(pkgDir, name)) && existsSync(join(npmPkgDir, name)));
}

/**
 * Runs the whole build. `testing` adds the bindings only this repository's tests and benchmark
 * call (`__panicForTests`, `CsvScan`); on by default in dev builds, off in the release build the
 * page and the package ship.
 */
export function build({ dev = false, testing = dev } = {}) {
  const started = Date.now();
  copyPageDriver();
  const rawWasm = cargoBuild({ dev, testing });
  const stamp = buildStamp(rawWasm, dev, testing);
  if (outputsPresent() && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    say('wasm-bindgen and wasm-opt: skipped (the module and the build settings are unchanged)');
    reportSize();
    say(`build done in ${seconds(Date.now() - started)}`);
    return;
  }
  runWasmBindgen(rawWasm, { dev });
  if (dev) say('wasm-opt: skipped (--dev)');
  else runWasmOpt();
  reportSize();
  copyNpmLayout();
  writeFileSync(stampFile, stamp);
  say(`build done in ${seconds(Date.now() - started)}`);
}

if (isMainModule(import.meta.url)) {
  try {
    const dev = process.argv.includes('--dev');
    build({ dev, testing: dev || process.argv.includes('--testing') });
  } catch (error) {
    console.error(`[shoplens] build failed: ${error.message}`);
    process.exit(1);
  }
}
