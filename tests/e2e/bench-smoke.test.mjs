// Smoke run of the benchmark (scripts/bench.mjs --small): the page loads every engine from this
// machine (shoplens, the raw scan, DuckDB-Wasm, PapaParse), each one finishes on 50k-row order
// exports (UTF-8 and GBK), a 200k-event log, a 50k-line narrow English export and a 50k-event log with
// ISO timestamps, and they all agree on the cross-checked figures.
// About 40 s (the limit leaves room for a loaded machine) plus, the first time, installing
// bench/package.json's libraries. The timed benchmark itself is not a test: `node scripts/bench.mjs`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

test('the benchmark runs every engine on the small datasets and they agree', { timeout: 420_000 }, () => {
  const run = spawnSync(process.execPath, ['scripts/bench.mjs', '--small', '--runs', '1'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 410_000,
  });
  assert.equal(run.status, 0, `bench failed:\n${run.stdout}\n${run.stderr}`);
  const agreed = run.stdout.match(/All engines agree on the cross-checked figures\./g) ?? [];
  assert.equal(agreed.length, 5, run.stdout);
  assert.doesNotMatch(run.stdout, /FAILED/);
});
