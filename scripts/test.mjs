// Every check the project has, in order, stopping at the first failure:
//
//   rustfmt → clippy → cargo test (native) → independent check (DuckDB SQL) → setup →
//   release build → Node tests → browser tests → package tests (npm pack, examples)
//
// Ends with a summary and the line `N passed, N failed, N skipped` (steps, not test cases; a
// step after a failure counts as skipped). `.ci/run` runs this.

import { isMainModule, probe, run, say, seconds } from './proc.mjs';
import { build } from './build.mjs';
import { independentCheck, independentSkipReason } from './independent.mjs';
import { setup } from './setup.mjs';

/** Each step throws on failure. `skipReason()` returns why a step cannot run here, or null. */
const STEPS = [
  {
    name: 'rustfmt',
    run: () => run('cargo', ['fmt', '--all', '--', '--check']),
  },
  {
    name: 'clippy',
    skipReason: () =>
      probe('cargo', ['clippy', '--version']) === null
        ? 'cargo clippy is not installed (rustup component add clippy)'
        : null,
    // --all-features: the test-only bindings (crate/wasm feature `testing`) are linted too.
    run: () => run('cargo', ['clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings']),
  },
  {
    name: 'cargo test (native)',
    run: () => run('cargo', ['test', '--workspace', '--all-features']),
  },
  {
    name: 'independent check (DuckDB SQL)',
    skipReason: independentSkipReason,
    run: () => independentCheck(),
  },
  {
    name: 'setup',
    run: () => setup(),
  },
  {
    // With the test-only bindings the Node and browser tests call (`__panicForTests`, `CsvScan`).
    name: 'build (release wasm, --testing)',
    run: () => build({ testing: true }),
  },
  {
    name: 'node tests (tests/js)',
    run: () => run(process.execPath, ['--test', '--test-reporter=spec', 'tests/js/']),
  },
  {
    name: 'browser tests (tests/e2e)',
    run: () => run(process.execPath, ['--test', '--test-reporter=spec', 'tests/e2e/']),
  },
  {
    // npm pack → install the tarball in a fresh project → the examples and typed calls, in Node
    // and in Chromium.
    name: 'package tests (tests/pkg)',
    run: () => run(process.execPath, ['--test', '--test-reporter=spec', 'tests/pkg/']),
  },
];

function main() {
  const started = Date.now();
  const results = [];
  let failed = false;
  for (const step of STEPS) {
    if (failed) {
      results.push({ name: step.name, outcome: 'not run' });
      continue;
    }
    const skipReason = step.skipReason?.() ?? null;
    if (skipReason) {
      say(`skipping ${step.name}: ${skipReason}`);
      results.push({ name: step.name, outcome: 'skipped', detail: skipReason });
      continue;
    }
    say(`── ${step.name}`);
    const stepStarted = Date.now();
    try {
      step.run();
      results.push({ name: step.name, outcome: 'passed', ms: Date.now() - stepStarted });
    } catch (error) {
      failed = true;
      results.push({ name: step.name, outcome: 'FAILED', ms: Date.now() - stepStarted, detail: error.message });
    }
  }

  console.log('\nsummary');
  for (const { name, outcome, ms, detail } of results) {
    const time = ms === undefined ? '' : ` (${seconds(ms)})`;
    console.log(`  ${outcome.padEnd(7)} ${name}${time}${detail ? `: ${detail}` : ''}`);
  }
  const count = (...outcomes) => results.filter((r) => outcomes.includes(r.outcome)).length;
  console.log(`  total ${seconds(Date.now() - started)}`);
  console.log(`${count('passed')} passed, ${count('FAILED')} failed, ${count('skipped', 'not run')} skipped`);
  return failed ? 1 : 0;
}

if (isMainModule(import.meta.url)) {
  process.exitCode = main();
}
