// Installs what building and testing shoplens needs, and nothing that is already there.
//
//   node scripts/setup.mjs [--skip-chromium]
//
// Idempotent and quick (well under 2 s) when everything is present: each step first probes, and
// only installs on a miss. What it may install on a fresh machine:
//   - the Rust target wasm32-unknown-unknown (rustup),
//   - wasm-bindgen-cli at exactly the version Cargo.lock pins for the `wasm-bindgen` crate (the
//     CLI and the crate must match, or the generated glue does not fit the .wasm),
//   - the npm devDependencies (`npm ci`; wasm-opt comes from the `binaryen` package),
//   - Debian's chromium + chromium-driver, for the browser tests only. `--skip-chromium` or
//     SHOPLENS_SKIP_CHROMIUM=1 skips it (`npm start` does; serving the page needs no browser).
//     SHOPLENS_CHROMIUM=/path/to/chrome points the tests at another Chromium instead.
// Browsers are never downloaded by a test tool (no `playwright install`): only apt's chromium.

import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isMainModule, probe, repoRoot, run, say, seconds } from './proc.mjs';

const WASM_TARGET = 'wasm32-unknown-unknown';

/** Where the browser tests look for Chromium (Debian's package path unless overridden). */
export const chromiumPath = process.env.SHOPLENS_CHROMIUM || '/usr/bin/chromium';

/** Makes sure the Rust standard library for wasm32-unknown-unknown is installed. */
export function ensureRustTarget() {
  const sysroot = probe('rustc', ['--print', 'sysroot']);
  if (sysroot === null) {
    throw new Error('rustc not found: install Rust with rustup (https://rustup.rs), then rerun');
  }
  // Probing the sysroot is ~10x faster than `rustup target list --installed`.
  if (existsSync(join(sysroot, 'lib', 'rustlib', WASM_TARGET, 'lib'))) {
    say(`rust target ${WASM_TARGET}: present`);
    return;
  }
  if (probe('rustup', ['--version']) === null) {
    throw new Error(`the Rust target ${WASM_TARGET} is missing and rustup is not available to add it`);
  }
  say(`rust target ${WASM_TARGET}: installing`);
  run('rustup', ['target', 'add', WASM_TARGET]);
}

/** The version of the `wasm-bindgen` crate that Cargo.lock pins. */
export function lockedWasmBindgenVersion() {
  const lock = readFileSync(join(repoRoot, 'Cargo.lock'), 'utf8');
  const match = /\[\[package\]\]\s*name = "wasm-bindgen"\s*version = "([^"]+)"/.exec(lock);
  if (!match) throw new Error('Cargo.lock has no `wasm-bindgen` package entry');
  return match[1];
}

/** Makes sure `wasm-bindgen --version` reports exactly the version Cargo.lock pins. */
export function ensureWasmBindgen() {
  const wanted = lockedWasmBindgenVersion();
  const installed = probe('wasm-bindgen', ['--version']); // "wasm-bindgen 0.2.130"
  if (installed === `wasm-bindgen ${wanted}`) {
    say(`wasm-bindgen ${wanted}: present`);
    return;
  }
  say(`wasm-bindgen ${wanted}: installing (found ${installed ?? 'none'}; takes a few minutes)`);
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', wanted]);
  if (probe('wasm-bindgen', ['--version']) !== `wasm-bindgen ${wanted}`) {
    const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
    throw new Error(`wasm-bindgen ${wanted} was installed but is not first on PATH: add ${cargoBin}`);
  }
}

/** Hash of the npm manifests, recorded after an install so an unchanged tree is not reinstalled. */
function npmManifestHash() {
  const hash = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json']) {
    const file = join(repoRoot, name);
    hash.update(name).update(existsSync(file) ? readFileSync(file) : '');
  }
  return hash.digest('hex');
}

/** Makes sure node_modules matches package-lock.json (`npm ci`), reinstalling when it changed. */
export function ensureNodeModules() {
  const stampFile = join(repoRoot, 'node_modules', '.shoplens-manifest-hash');
  const wanted = npmManifestHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
    say('node_modules: up to date');
    return;
  }
  const hasLock = existsSync(join(repoRoot, 'package-lock.json'));
  say(`node_modules: ${existsSync(join(repoRoot, 'node_modules')) ? 'outdated' : 'missing'}, installing`);
  run('npm', hasLock ? ['ci'] : ['install']);
  // Recompute: `npm install` without a lock writes one.
  writeFileSync(stampFile, npmManifestHash());
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Makes sure a Chromium for the browser tests exists, installing Debian's packages if not. */
// A Chinese font, so that screenshots of the zh-CN page show characters rather than empty boxes
// (a Debian Chromium has none of its own). Only the screenshots need it; tests read text.
const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';
const CJK_FONT_FILE = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function ensureCjkFont() {
  if (existsSync(CJK_FONT_FILE) || process.getuid?.() !== 0 || probe('apt-get', ['--version']) === null) {
    return;
  }
  say(`font: installing ${CJK_FONT_PACKAGE} for Chinese screenshots`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  try {
    run('apt-get', ['install', '-y', CJK_FONT_PACKAGE], { env });
  } catch {
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', CJK_FONT_PACKAGE], { env });
  }
}

export function ensureChromium({ skip = false } = {}) {
  if (skip) {
    say('chromium: skipped (only the browser tests need it)');
    return;
  }
  if (isExecutable(chromiumPath)) {
    say(`chromium: present at ${chromiumPath}`);
    ensureCjkFont();
    return;
  }
  if (process.env.SHOPLENS_CHROMIUM) {
    throw new Error(`SHOPLENS_CHROMIUM=${chromiumPath} is not an executable file`);
  }
  const aptSteps = [
    ['apt-get', ['update']],
    ['apt-get', ['install', '-y', 'chromium', 'chromium-driver', CJK_FONT_PACKAGE]],
  ];
  const manual = `apt-get update && apt-get install -y chromium chromium-driver ${CJK_FONT_PACKAGE}`;
  if (probe('apt-get', ['--version']) === null) {
    throw new Error(`no Chromium at ${chromiumPath} and no apt-get: install Chromium and set SHOPLENS_CHROMIUM`);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (process.getuid?.() === 0) {
    say('chromium: missing, installing Debian packages chromium and chromium-driver');
    for (const [command, args] of aptSteps) run(command, args, { env });
  } else if (probe('sudo', ['-n', 'true']) !== null) {
    say('chromium: missing, installing Debian packages with sudo');
    for (const [command, args] of aptSteps) {
      run('sudo', ['-n', `DEBIAN_FRONTEND=${env.DEBIAN_FRONTEND}`, command, ...args]);
    }
  } else {
    throw new Error(`no Chromium at ${chromiumPath}; as root, run: ${manual}`);
  }
  if (!isExecutable(chromiumPath)) {
    throw new Error(`installed chromium, but ${chromiumPath} is still missing`);
  }
}

/** Runs every step in order. Throws on the first one that cannot be satisfied. */
export function setup({ skipChromium = false } = {}) {
  const started = Date.now();
  ensureRustTarget();
  ensureWasmBindgen();
  ensureNodeModules();
  ensureChromium({ skip: skipChromium });
  say(`setup done in ${seconds(Date.now() - started)}`);
}

if (isMainModule(import.meta.url)) {
  try {
    setup({
      skipChromium:
        process.argv.includes('--skip-chromium') || process.env.SHOPLENS_SKIP_CHROMIUM === '1',
    });
  } catch (error) {
    console.error(`[shoplens] setup failed: ${error.message}`);
    process.exit(1);
  }
}
