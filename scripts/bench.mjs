// The benchmark: shoplens against DuckDB-Wasm and PapaParse + plain JS on the same generated exports,
// in one run of headless Chromium, with the raw csv-core scan as the ceiling. Not a test: it prints a
// table and (full runs) writes the figures into BENCHMARKS.md.
//
//   node scripts/bench.mjs                 1M / 5M-row orders (UTF-8, GBK) and 10M events, 3 runs each
//   node scripts/bench.mjs --small         50k-row orders and 200k events, a smoke run of well under a minute
//   node scripts/bench.mjs --runs 5        runs per engine and dataset (the median is reported)
//   node scripts/bench.mjs --only orders-1m,events-10m    some datasets only
//   node scripts/bench.mjs --engines shoplens,scan        some engines only
//   node scripts/bench.mjs --scale         a 2.1 GB order export through shoplens (and the raw scan)
//
// Steps: install bench/package.json's libraries into bench/node_modules (npm registry), build the
// release wasm if www/pkg lacks it, generate bench/data/ (seeded, reused when present), serve the page
// on 127.0.0.1 (bench/server.mjs), and for every dataset × run × engine open a fresh browser context,
// choose the file through <input type=file> (a disk-backed File, as a user's drop is) and time
// `bench.run` in the page. Engine instantiation is not timed (DuckDB's is reported apart).
//
// Memory: the peak resident memory of all Chromium processes above the level just before the
// measurement (sampled from /proc every 50 ms), for every engine alike; besides, shoplens's wasm
// memory (`memory.buffer.byteLength`, which only grows, so its final size is its peak) and the
// page's peak JS heap (`performance.memory.usedJSHeapSize`).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { build, copyPageDriver } from './build.mjs';
import { isMainModule, repoRoot, run, say } from './proc.mjs';
import { chromiumPath } from './setup.mjs';
import { CHROMIUM_ARGS as HARNESS_CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { generate } from '../bench/generate.mjs';
import { startBenchServer } from '../bench/server.mjs';

/**
 * Run by default. On request: `shoplens-object` (the whole report converted to a JS object, as the
 * npm package's `finish()` gives it) and `shoplens-json` (the same as JSON text). `shoplens` hands
 * over what the page shows, as the page's worker does.
 */
const ENGINES = ['scan', 'shoplens', 'shoplens-2w', 'shoplens-4w', 'duckdb', 'papaparse'];
const ENGINE_LABELS = {
  scan: 'raw csv-core scan (wasm)',
  shoplens: 'shoplens',
  'shoplens-2w': 'shoplens, 2 workers',
  'shoplens-4w': 'shoplens, 4 workers',
  'shoplens-object': 'shoplens, whole report as a JS object',
  'shoplens-json': 'shoplens, report as JSON text',
  duckdb: 'DuckDB-Wasm',
  papaparse: 'PapaParse + JS',
};
// The browser and flags of the e2e harness (as bench/page-memory.mjs), with precise heap figures
// and a callable gc for the memory samples.
const CHROMIUM = chromiumPath;
const CHROMIUM_ARGS = [...HARNESS_CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'];
const benchDir = join(repoRoot, 'bench');
const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';

function parseArgs(argv) {
  const value = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const small = argv.includes('--small');
  const scale = argv.includes('--scale');
  const runs = Number(value('--runs') ?? (small || scale ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  return {
    small,
    scale,
    runs,
    only: value('--only')?.split(','),
    engines: value('--engines')?.split(',') ?? (scale ? ['scan', 'shoplens'] : ENGINES),
    write: !small && !scale && !argv.includes('--no-write'),
  };
}

/** bench/node_modules from bench/package.json (+ lockfile), through npm. */
function installBenchDependencies() {
  const wanted = JSON.parse(readFileSync(join(benchDir, 'package.json'), 'utf8')).dependencies;
  const missing = Object.keys(wanted).filter((name) => !existsSync(join(benchDir, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return;
  const lock = existsSync(join(benchDir, 'package-lock.json'));
  run('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: benchDir });
}

/** The release build, unless www/pkg already has one that exports the benchmark's classes. */
function ensureWasm() {
  copyPageDriver();
  const glue = join(repoRoot, 'www', 'pkg', 'shoplens.js');
  const exports = existsSync(glue) ? readFileSync(glue, 'utf8') : '';
  if (exports.includes('CsvScan') && exports.includes('finishJson')) return;
  // The raw scan (`CsvScan`) is a test-only binding.
  build({ testing: true });
}

// ── memory of the browser, from /proc ──────────────────────────────────────────────────────────

/** Resident bytes of every process descending from this one (Chromium and its children). */
function browserResidentBytes() {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isDescendant = (pid) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let bytes = 0;
  for (const pid of parent.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      if (kb) bytes += Number(kb[1]) * 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return bytes;
}

/** Samples browserResidentBytes every 50 ms until stopped; returns the peak above `baseline`. */
function startResidentSampler() {
  const baseline = browserResidentBytes();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, browserResidentBytes());
  }, 50);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, browserResidentBytes());
    return peak - baseline;
  };
}

// ── one measurement ────────────────────────────────────────────────────────────────────────────

async function measure(browser, serverUrl, dataset, engine) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serverUrl);
    await page.waitForFunction(() => window.benchReady === true);
    await page.locator('#file').setInputFiles(dataset.path);
    const prepareStarted = Date.now();
    await page.evaluate((e) => window.bench.prepare(e), engine);
    const prepareSeconds = (Date.now() - prepareStarted) / 1000;
    await page.evaluate(() => globalThis.gc?.());
    const stop = startResidentSampler();
    let result;
    try {
      result = await page.evaluate(([e, kind, encoding, layout]) => window.bench.run(e, kind, encoding, layout), [
        engine,
        dataset.kind,
        dataset.encoding,
        dataset.layout ?? null,
      ]);
    } finally {
      result = { ...result, residentPeak: stop() };
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
    return { ...result, prepareSeconds };
  } finally {
    await context.close();
  }
}

// ── figures ────────────────────────────────────────────────────────────────────────────────────

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (bytes) => (bytes === undefined ? '—' : `${Math.round(bytes / 1e6)}`);

function summariseRuns(dataset, engine, allRuns) {
  const failed = allRuns.find((r) => r.error);
  if (failed) return { engine, error: failed.error, summary: {} };
  const runs = allRuns;
  const seconds = median(runs.map((r) => r.seconds));
  return {
    engine,
    seconds,
    mbPerSecond: dataset.bytes / 1e6 / seconds,
    residentPeak: Math.max(...runs.map((r) => r.residentPeak)),
    wasmBytes: runs[0].wasmBytes === undefined ? undefined : Math.max(...runs.map((r) => r.wasmBytes)),
    heapPeak: Math.max(...runs.map((r) => r.heapPeak)),
    prepareSeconds: median(runs.map((r) => r.prepareSeconds)),
    split: runs[0].split && {
      ingest: median(runs.map((r) => r.split.ingest)),
      finish: median(runs.map((r) => r.split.finish)),
    },
    summary: runs[0].summary,
  };
}

/** Figures on which engines must agree; a difference is printed (and fails nothing). */
function crossCheck(rows) {
  const reference = rows.find((r) => r.engine === 'shoplens' && !r.error);
  if (!reference) return [];
  const problems = [];
  for (const other of rows) {
    if (other.engine === 'shoplens' || other.engine === 'scan') continue;
    for (const [key, value] of Object.entries(other.summary)) {
      if (!(key in reference.summary)) continue;
      if (JSON.stringify(value) !== JSON.stringify(reference.summary[key])) {
        problems.push(`${other.engine} ${key} = ${JSON.stringify(value)}, shoplens ${JSON.stringify(reference.summary[key])}`);
      }
    }
  }
  return problems;
}

function tableFor(dataset, rows) {
  const shoplens = rows.find((r) => r.engine === 'shoplens' && !r.error);
  const lines = [
    `**${dataset.name}** — ${dataset.rows.toLocaleString('en-US')} rows, ${mb(dataset.bytes)} MB, ${dataset.encoding}`,
    '',
    '| engine | median s | MB/s | shoplens time ÷ this | peak RSS Δ MB | wasm memory MB | JS heap peak MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${ENGINE_LABELS[r.engine]} | failed: ${r.error.replaceAll('|', '/')} | | | | | |`);
      continue;
    }
    const ratio = shoplens ? (shoplens.seconds / r.seconds).toFixed(2) : '—';
    lines.push(
      `| ${ENGINE_LABELS[r.engine]} | ${r.seconds.toFixed(2)} | ${r.mbPerSecond.toFixed(1)} | ${ratio} | ` +
        `${mb(r.residentPeak)} | ${mb(r.wasmBytes)} | ${mb(r.heapPeak)} |`,
    );
  }
  return lines.join('\n');
}

function machineInfo(browserVersion) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const memory = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const nm = join(benchDir, 'node_modules');
  let rustc = 'unknown';
  try {
    rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // Not needed for the figures.
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return [
    `- Load average at the end of the run: ${load} (other jobs shared the machine)`,
    `- CPU: ${model}, ${cpus().length} cores (nproc); memory ${memory ? Math.round(memory / 1048576) : '?'} GiB`,
    `- Chromium ${browserVersion} (headless, ${CHROMIUM}), Node ${process.version}, ${rustc}`,
    `- @duckdb/duckdb-wasm ${version(join(nm, '@duckdb', 'duckdb-wasm'))} (eh bundle), papaparse ${version(join(nm, 'papaparse'))}, ` +
      `shoplens ${version(repoRoot)}`,
  ].join('\n');
}

function writeResults(markdown) {
  const path = join(repoRoot, 'BENCHMARKS.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${RESULTS_START}\n${RESULTS_END}\n`;
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start < 0 || end < start) throw new Error('BENCHMARKS.md lacks the results markers');
  writeFileSync(path, `${text.slice(0, start + RESULTS_START.length)}\n${markdown}\n${text.slice(end)}`);
  say('figures written to BENCHMARKS.md');
}

// ── driver ─────────────────────────────────────────────────────────────────────────────────────

export async function bench(options) {
  installBenchDependencies();
  ensureWasm();
  const datasets = generate({ small: options.small, scale: options.scale, only: options.only, log: say });
  const { chromium } = await import('playwright-core');
  const server = await startBenchServer(repoRoot);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const sections = [];
  try {
    for (const dataset of datasets) {
      const runs = Object.fromEntries(options.engines.map((e) => [e, []]));
      for (let r = 0; r < options.runs; r++) {
        for (const engine of options.engines) {
          if (runs[engine].some((r) => r.error)) continue; // failed once: do not retry every run
          let result;
          try {
            result = await measure(browser, server.url, dataset, engine);
          } catch (error) {
            const message = String(error.message ?? error).split('\n')[0].slice(0, 160);
            say(`${dataset.name} run ${r + 1}/${options.runs} ${engine}: FAILED ${message}`);
            runs[engine].push({ error: message });
            continue;
          }
          const parallel = result.stats
            ? `; start ${result.stats.start?.toFixed(2)} s, waiting ${result.stats.waiting?.toFixed(2)} s, ` +
              `appending ${result.stats.appending?.toFixed(2)} s`
            : '';
          const split = result.split
            ? ` (ingest ${result.split.ingest.toFixed(2)} s, finish ${result.split.finish.toFixed(2)} s${parallel})`
            : '';
          say(`${dataset.name} run ${r + 1}/${options.runs} ${engine}: ${result.seconds.toFixed(2)} s${split}`);
          runs[engine].push(result);
        }
      }
      const rows = options.engines.map((e) => summariseRuns(dataset, e, runs[e]));
      const table = tableFor(dataset, rows);
      const problems = crossCheck(rows);
      const duck = rows.find((r) => r.engine === 'duckdb');
      const ours = rows.find((r) => r.engine === 'shoplens' && r.split);
      const json = rows.find((r) => r.engine === 'shoplens-json' && r.split);
      const object = rows.find((r) => r.engine === 'shoplens-object' && r.split);
      const notes = [
        ours
          ? `shoplens: streaming in ${ours.split.ingest.toFixed(2)} s, finish (analyses and the page's hand-over: summary and first view) ${ours.split.finish.toFixed(2)} s` +
            (object ? `; with the whole report as a JS object, finish ${object.split.finish.toFixed(2)} s` : '') +
            (json ? `; with the report as JSON text, finish ${json.split.finish.toFixed(2)} s` : '') +
            '.'
          : '',
        duck && !duck.error ? `DuckDB-Wasm instantiation (not in its time): ${duck.prepareSeconds.toFixed(2)} s.` : '',
        problems.length > 0 ? `Results differ: ${problems.join('; ')}.` : 'All engines agree on the cross-checked figures.',
      ].filter(Boolean);
      console.log(`\n${table}\n\n${notes.join(' ')}\n`);
      sections.push({ table, notes, rows, dataset });
    }
    if (options.write) {
      const markdown = [
        `Measured ${new Date().toISOString().slice(0, 10)}, median of ${options.runs} runs.`,
        '',
        machineInfo(browser.version()),
        '',
        ...sections.flatMap((s) => [s.table, '', s.notes.join(' '), '']),
      ].join('\n');
      writeResults(markdown);
    }
    writeFileSync(
      join(benchDir, 'data', `results${options.small ? '-small' : options.scale ? '-scale' : ''}.json`),
      `${JSON.stringify(sections.map((s) => ({ dataset: s.dataset, rows: s.rows })), null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

if (isMainModule(import.meta.url)) {
  bench(parseArgs(process.argv.slice(2))).catch((error) => {
    console.error(`[shoplens] bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
