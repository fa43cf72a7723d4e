// Measures the release .wasm at rustc opt-level "s", "z" and 3 — each with the matching wasm-opt
// level — for the comment on `opt-level` in Cargo.toml's [profile.release]: size raw and gzip, the
// time of analysing every tests/fixtures/*.csv 200 times in Node (small files: per-analysis costs),
// and the time of one ~40 MB order export (the Shopify fixture's rows repeated under new order
// ids: parsing throughput). Each timing runs in a fresh Node process, the variants in turn, and the
// best of 3 is kept, the machine being shared.
//
//   node scripts/measure-opt-level.mjs [levels…]     e.g. `node scripts/measure-opt-level.mjs z 3`
//
// Builds aside (target/opt-level-<level>, a temporary out dir), so www/pkg/ is left alone. Each
// variant is a full LTO build: a few minutes in all on two cores.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cargoBuild, runWasmBindgen, runWasmOpt, wasmSizes } from './build.mjs';
import { isMainModule, repoRoot, say } from './proc.mjs';

/** rustc opt-level → the wasm-opt level shipped with it. */
const WASM_OPT_LEVEL = { s: '-Os', z: '-Oz', 3: '-O3' };
const ROUNDS = 200;
/** Timings per variant; the fastest is kept (other work on the machine only ever slows a run). */
const REPEATS = 3;
/** Copies of the Shopify fixture's rows in the large export. */
const LARGE_COPIES = 10_000;

/** Every CSV fixture (not the bad ones), whole, in name order. */
function fixtures() {
  const dir = join(repoRoot, 'tests', 'fixtures');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

/** The Shopify fixture's data rows LARGE_COPIES times, each copy under new order ids. */
function largeExport() {
  const text = readFileSync(join(repoRoot, 'tests', 'fixtures', 'shopify_orders.csv'), 'utf8');
  const [header, ...rows] = text.trimEnd().split('\n');
  const lines = [header];
  for (let copy = 0; copy < LARGE_COPIES; copy++) lines.push(...rows.map((row) => row.replace(/^#?/, `#c${copy}-`)));
  return { name: 'large.csv', bytes: new TextEncoder().encode(`${lines.join('\n')}\n`) };
}

/**
 * Times the glue in `outDir` in this process: `files` analysed ROUNDS times, then `large` once in
 * 1 MiB chunks, after one warm-up of each. Milliseconds.
 */
async function timeAnalyses(outDir, files, large) {
  const glue = await import(pathToFileURL(join(outDir, 'shoplens.js')).href);
  glue.initSync({ module: readFileSync(join(outDir, 'shoplens_bg.wasm')) });
  const analyse = (inputs, chunkBytes) => {
    const session = new glue.Session();
    for (const { name, bytes } of inputs) {
      for (let start = 0; start < bytes.length; start += chunkBytes) {
        session.push(name, bytes.subarray(start, start + chunkBytes));
      }
      session.endFile(name);
    }
    session.finish();
    session.free();
  };
  const time = (body) => {
    const started = performance.now();
    body();
    return performance.now() - started;
  };
  analyse(files, Infinity);
  const smallMs = time(() => {
    for (let round = 0; round < ROUNDS; round++) analyse(files, Infinity);
  });
  analyse([large], 1 << 20);
  const largeMs = time(() => analyse([large], 1 << 20));
  return { smallMs, largeMs };
}

/** Builds variant `level` into a fresh out dir (the cargo target dir is kept, so reruns are quick). */
function buildVariant(level) {
  const outDir = mkdtempSync(join(tmpdir(), `shoplens-opt-${level}-`));
  const rawWasm = cargoBuild({
    dev: false,
    targetDir: join(repoRoot, 'target', `opt-level-${level}`),
    env: { CARGO_PROFILE_RELEASE_OPT_LEVEL: String(level) },
  });
  runWasmBindgen(rawWasm, { dev: false, outDir });
  runWasmOpt({ file: join(outDir, 'shoplens_bg.wasm'), level: WASM_OPT_LEVEL[level] });
  return { level, outDir, ...wasmSizes(join(outDir, 'shoplens_bg.wasm')) };
}

/**
 * Times one variant in a child process of its own, so that no variant inherits another's JIT
 * state, heap or wasm memory (the first variant timed in a shared process came out slower,
 * whichever it was).
 */
function timeInChild(outDir) {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--time', outDir], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`timing ${outDir} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function main(levels) {
  for (const level of levels) {
    if (!(level in WASM_OPT_LEVEL)) throw new Error(`unknown opt-level ${level}: use s, z or 3`);
  }
  const variants = levels.map(buildVariant);
  try {
    // Interleaved rounds, best of REPEATS: load from other work on the machine hits all alike.
    for (let round = 0; round < REPEATS; round++) {
      for (const variant of variants) {
        const { smallMs, largeMs } = timeInChild(variant.outDir);
        variant.smallMs = Math.min(variant.smallMs ?? Infinity, smallMs);
        variant.largeMs = Math.min(variant.largeMs ?? Infinity, largeMs);
      }
    }
  } finally {
    for (const { outDir } of variants) rmSync(outDir, { recursive: true, force: true });
  }
  const files = fixtures();
  const mb = largeExport().bytes.length / 1e6;
  say(`${files.length} fixtures × ${ROUNDS}; large export ${mb.toFixed(1)} MB; best of ${REPEATS}`);
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  for (const { level, raw, gzip, smallMs, largeMs } of variants) {
    const small = `${(smallMs / 1000).toFixed(2)} s`;
    const throughput = `${(mb / (largeMs / 1000)).toFixed(0)} MB/s`;
    console.log(`opt-level ${JSON.stringify(level).padEnd(3)}: ${kib(raw)} raw, ${kib(gzip)} gzip, fixtures ${small}, large ${throughput}`);
  }
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--time') {
    process.stdout.write(JSON.stringify(await timeAnalyses(args[1], fixtures(), largeExport())));
  } else {
    await main(args.length ? args : ['s', 'z', '3']);
  }
}
