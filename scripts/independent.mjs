// The independent check: shoplens figures against DuckDB SQL written from shared/DEFINITIONS.md
// (tests/independent/check_duckdb.py), and the SQL scripts shoplens generates run on DuckDB and
// Spark (tests/independent/check_sql.py). DuckDB and PySpark come from PyPI into a venv under
// target/, once.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { isMainModule, probe, repoRoot, run, say } from './proc.mjs';

const DUCKDB_VERSION = '2.0.0';
// Spark in local mode runs the Spark SQL scripts (tests/independent/check_sql.py --spark).
const PYSPARK_VERSION = '4.3.0';
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target');
const venv = join(targetDir, 'independent-venv');
const python = join(venv, 'bin', 'python');

/** Why the check cannot run on this machine, or null. */
export function independentSkipReason() {
  return probe('python3', ['--version']) === null ? 'python3 is not installed' : null;
}

function ensureDuckdb() {
  if (existsSync(python) && probe(python, ['-c', `import duckdb; assert duckdb.__version__ == "${DUCKDB_VERSION}"`]) !== null) {
    return;
  }
  say(`installing duckdb ${DUCKDB_VERSION} into ${venv}`);
  run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `duckdb==${DUCKDB_VERSION}`]);
}

/** PySpark into the same venv, and Java 17 from Debian when there is none; false if Java cannot be had. */
function ensureSpark() {
  if (probe('java', ['-version']) === null) {
    if (probe('apt-get', ['--version']) === null) {
      return false;
    }
    say('installing Java 17 (openjdk-17-jre-headless) for the Spark SQL check');
    run('apt-get', ['install', '-y', '-q', 'openjdk-17-jre-headless']);
  }
  if (probe(python, ['-c', `import pyspark; assert pyspark.__version__ == "${PYSPARK_VERSION}"`]) === null) {
    say(`installing pyspark ${PYSPARK_VERSION} into ${venv}`);
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `pyspark==${PYSPARK_VERSION}`]);
  }
  return true;
}

export function independentCheck() {
  ensureDuckdb();
  // SHOPLENS_SKIP_SPARK=1 leaves the Spark scripts out (about 2.5–6 minutes on 2 busy cores).
  const spark = process.env.SHOPLENS_SKIP_SPARK !== '1' && ensureSpark();
  // The `analyze` example is the engine without the browser; `cargo test` has usually built it.
  run('cargo', ['build', '--quiet', '-p', 'shoplens', '--example', 'analyze']);
  const engine = join(targetDir, 'debug', 'examples', 'analyze');
  run(python, ['tests/independent/check_duckdb.py', '--engine', engine]);
  // The generated SQL scripts (crate/core/src/sql) run on DuckDB over every order and event
  // fixture, each figure equal to the engine's report of the same file.
  run('cargo', ['build', '--quiet', '-p', 'shoplens', '--example', 'sql']);
  // With Java, the Spark scripts too, all in one local SparkSession (a few minutes).
  if (!spark) {
    say('the Spark SQL scripts are not run (SHOPLENS_SKIP_SPARK=1, or no Java: install openjdk-17-jre-headless)');
  }
  run(python, ['tests/independent/check_sql.py', '--engine', join(targetDir, 'debug', 'examples', 'sql'),
    ...(spark ? ['--spark'] : [])]);
  // The A/B statistics against a standard-library Python implementation (1,000 random tables).
  run('cargo', ['build', '--quiet', '-p', 'shoplens', '--example', 'ab_readout']);
  run('python3', ['tests/independent/check_ab.py', '--engine', join(targetDir, 'debug', 'examples', 'ab_readout')]);
}

if (isMainModule(import.meta.url)) {
  independentCheck();
}
