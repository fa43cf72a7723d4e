#!/usr/bin/env node
// `npx shoplens sql`: the SQL scripts of shoplens' figures for export files (issue 14), written by
// the package's own path (createSession → addFile → finish({ keep: true }) → toSql), one session
// per file as each script reads its file alone; the sections that read several files together
// (GROUP_SECTIONS: stock reads the order export and the SKU list beside it) from one more session
// holding every FILE. Help: `shoplens sql --help`.
//
// Only the start of a big file is read: what a script depends on (the header, the encoding and
// delimiter, the column roles, the amount grain) is decided from the first 64 KiB
// (crate/core/src/ingest/mod.rs, SAMPLE_TEXT_BYTES), so an export of any size costs a few MB.
// When that start cannot be read alone (it ends inside a quoted field, a UTF-16 file), the whole
// file is read.

import { open, mkdir, stat, writeFile } from 'node:fs/promises';
import { createReadStream, realpathSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSession, isShoplensError, sqlSections, version } from './index.js';

/** Bytes of a file read by default (see above): a comfortable margin over the 64 KiB sample. */
export const READ_BYTES = 8 << 20;

/** Sections whose script reads several of the FILEs together: stock (the orders + the SKU list). */
export const GROUP_SECTIONS = new Set(['stock']);

/** Sections written for each FILE alone, or, given several FILEs, with the others beside it: the
 * action list (its restock and ride-a-riser rules read the SKU/stock list beside the orders). */
export const EITHER_SECTIONS = new Set(['actions']);

const USAGE = `Usage: shoplens sql --dialect duckdb|spark [options] FILE...

Writes, for each export FILE, the SQL script of every shoplens section it has
(or of --section only): the same figures as the page, computed by DuckDB or
Spark SQL where the data lives. Scripts go to stdout, or to --out DIR.
The stock script reads two of the FILEs together: the order export and the
SKU/stock list beside it (shoplens sql --section stock orders.csv skus.csv);
so does the action list given both (its restock and ride-a-riser rules).

Options:
  --dialect D      duckdb (one machine; reads the CSV itself) or spark (Spark SQL:
                   spark-sql or spark.sql; reads the CSV through a temporary view)
  --section S      only this section: SECTIONS
  --table NAME     read this table (the export's columns, as text) instead of the
                   file; with one FILE
  --path PATH      read the CSV at PATH as the database sees it (s3://…, a UTF-8
                   copy of a GBK export) instead of FILE as given; with one FILE
  --out DIR        write DIR/<file>.<section>.<dialect>.sql instead of stdout
  --options JSON   analysis options, as for the npm package's createSession
                   (e.g. '{"cohort":{"grain":"week"}}')
  --read-bytes N   read at most N bytes of each file (default ${READ_BYTES}; 0: all);
                   the script depends only on the header and the first 64 KiB
  -h, --help       this text
  -V, --version    the engine's version

Example:
  npx shoplens sql --dialect duckdb --section kpi orders.csv > kpi.sql
  duckdb < kpi.sql
`;

class UsageError extends Error {}

/** Parses `argv` (after `sql`). */
export function parseArgs(argv) {
  const args = { dialect: null, section: null, table: null, path: null, out: null, options: undefined, readBytes: READ_BYTES, files: [] };
  const value = (flag, i) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    const take = () => {
      if (inline !== null) return inline;
      const v = value(flag, i);
      i += 1;
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '-V':
      case '--version':
        args.version = true;
        break;
      case '--dialect':
        args.dialect = take();
        break;
      case '--section':
        args.section = take();
        break;
      case '--table':
        args.table = take();
        break;
      case '--path':
        args.path = take();
        break;
      case '--out':
        args.out = take();
        break;
      case '--options': {
        const text = take();
        try {
          args.options = JSON.parse(text);
        } catch (error) {
          throw new UsageError(`--options is not JSON: ${error.message}`);
        }
        break;
      }
      case '--read-bytes': {
        const n = Number(take());
        if (!Number.isInteger(n) || n < 0) throw new UsageError('--read-bytes needs a whole number of bytes');
        args.readBytes = n;
        break;
      }
      case '--':
        args.files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        args.files.push(arg);
    }
  }
  return args;
}

/** The first `bytes` of `path`. */
async function readHead(path, bytes) {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    let filled = 0;
    while (filled < bytes) {
      const { bytesRead } = await handle.read(buffer, filled, bytes - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The data to add for `path`: its start up to a line end when that suffices (see above), else a stream of it all. */
async function fileData(path, readBytes, whole) {
  const { size } = await stat(path);
  if (!whole && readBytes > 0 && size > readBytes) {
    const head = await readHead(path, readBytes);
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    const cut = utf16 ? 0 : head.lastIndexOf(10) + 1;
    if (cut > 0) return { data: head.subarray(0, cut), partial: true };
  }
  return { data: createReadStream(path), partial: false };
}

/** One session that has read every file of `paths` (their starts when that suffices), finished and kept. */
async function loadAll(paths, options, readBytes) {
  if (paths.length === 1) return loadFile(paths[0], options, readBytes);
  for (const whole of [false, true]) {
    const session = await createSession(options);
    let retry = false;
    try {
      for (const path of paths) {
        const { data, partial } = await fileData(path, readBytes, whole);
        try {
          await session.addFile({ name: path, data });
        } catch (error) {
          if (!isShoplensError(error) || error.file !== path) throw error;
          // A start that is not a file alone: read them all. A whole file's error is in its load report.
          if (partial) retry = true;
        }
        if (retry) break;
      }
    } catch (error) {
      session.free();
      throw error;
    }
    if (retry) {
      session.free();
      continue;
    }
    session.finish({ keep: true });
    return session;
  }
  throw new Error('unreachable');
}

/** A session that has read `path` (its start when that suffices, see above), finished and kept. */
async function loadFile(path, options, readBytes) {
  const name = path;
  const { size } = await stat(path);
  if (readBytes > 0 && size > readBytes) {
    const head = await readHead(path, readBytes);
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    // Up to the last line end, so the last row read is whole.
    const cut = utf16 ? 0 : head.lastIndexOf(10) + 1;
    if (cut > 0) {
      const session = await createSession(options);
      try {
        await session.addFile({ name, data: head.subarray(0, cut) });
        session.finish({ keep: true });
        return session;
      } catch (error) {
        session.free();
        // The start alone ends inside a quoted field (or is otherwise not a file): read it all.
        if (!isShoplensError(error) || error.file !== name) throw error;
      }
    }
  }
  const session = await createSession(options);
  try {
    await session.addFile({ name, data: createReadStream(path) });
  } catch (error) {
    // The file's own error is in its load report: toSql says it names the file.
    if (!isShoplensError(error) || error.file !== name) {
      session.free();
      throw error;
    }
  }
  session.finish({ keep: true });
  return session;
}

/** `orders.kpi.duckdb.sql` for `path/to/orders.csv`. */
export function scriptName(path, section, dialect) {
  const stem = basename(path, extname(path));
  return `${stem}.${section}.${dialect}.sql`;
}

/**
 * Runs `shoplens sql` with `argv` (after `sql`); writes to `out.stdout` / `out.stderr`
 * (`write(text)`). Resolves to the exit code: 0, 1 (a file had no script), 2 (usage).
 */
export async function sqlCommand(argv, out = { stdout: process.stdout, stderr: process.stderr }) {
  const fail = (message, code = 2) => {
    out.stderr.write(`shoplens sql: ${message}\n`);
    if (code === 2) out.stderr.write('Try `shoplens sql --help`.\n');
    return code;
  };
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  const sections = await sqlSections();
  if (args.help) {
    out.stdout.write(USAGE.replace('SECTIONS', sections.join(', ')));
    return 0;
  }
  if (args.version) {
    out.stdout.write(`${await version()}\n`);
    return 0;
  }
  if (args.dialect !== 'duckdb' && args.dialect !== 'spark') {
    return fail(args.dialect === null ? '--dialect is required: duckdb or spark' : `unknown dialect ${args.dialect}: duckdb or spark`);
  }
  if (args.section !== null && !sections.includes(args.section)) {
    return fail(`unknown section ${args.section}: ${sections.join(', ')}`);
  }
  if (args.files.length === 0) return fail('no FILE given');
  if (args.table !== null && args.path !== null) return fail('--table and --path: give one of them');
  if (args.table !== null && args.files.length > 1) return fail('--table reads one table: give one FILE');
  if (args.path !== null && args.files.length > 1) return fail('--path names one file: give one FILE');

  const scripts = [];
  let failed = false;
  const wanted = args.section !== null ? [args.section] : sections;
  const together = (section) => GROUP_SECTIONS.has(section) || (EITHER_SECTIONS.has(section) && args.files.length > 1);
  const single = wanted.filter((section) => !together(section));
  const grouped = wanted.filter(together);
  const source =
    args.table !== null ? { type: 'table', name: args.table } : args.path !== null ? { type: 'file', name: args.path } : undefined;
  for (const path of single.length > 0 ? args.files : []) {
    let session;
    try {
      session = await loadFile(path, args.options, args.readBytes);
    } catch (error) {
      if (error?.code === 'invalid_option') return fail(`--options: ${error.message}`);
      fail(error?.code === 'ENOENT' ? `${path}: no such file` : `${path}: ${error?.message ?? error}`, 1);
      failed = true;
      continue;
    }
    try {
      const refusals = [];
      for (const section of single) {
        try {
          const sql = session.toSql({ dialect: args.dialect, section, file: path, ...(source ? { source } : {}) });
          scripts.push({ path, section, sql });
        } catch (error) {
          if (!isShoplensError(error)) throw error;
          refusals.push({ section, error });
        }
      }
      if (args.section !== null && refusals.length > 0) {
        const { error } = refusals[0];
        fail(`${path}: no ${args.section} script: ${error.code}: ${error.message}`, 1);
        failed = true;
      } else if (refusals.length === single.length && grouped.length > 0 && args.files.length > 1 && refusals.every(({ error }) => error.code === 'wrong_kind')) {
        // A file no single-file section reads (a SKU list): the group's script reads it below.
      } else if (refusals.length === single.length) {
        const why = refusals.map(({ section, error }) => `${section}: ${error.code}`).join(', ');
        fail(`${path}: no script (${why}); ${refusals.find(({ error }) => error.code !== 'wrong_kind')?.error.message ?? refusals[0].error.message}`, 1);
        failed = true;
      } else {
        // Sections the file's kind has nothing for are skipped quietly; other refusals are said.
        for (const { section, error } of refusals) {
          if (error.code !== 'wrong_kind') out.stderr.write(`shoplens sql: ${path}: ${section} skipped: ${error.code}: ${error.message}\n`);
        }
      }
    } finally {
      session.free();
    }
  }

  // A group section needs two files (one alone is refused, no_stock): with one FILE, only when asked for.
  if (grouped.length > 0 && (args.files.length > 1 || args.section !== null)) {
    let session;
    try {
      session = await loadAll(args.files, args.options, args.readBytes);
    } catch (error) {
      if (error?.code === 'invalid_option') return fail(`--options: ${error.message}`);
      fail(error?.code === 'ENOENT' ? `no such file: ${error.path ?? error.message}` : `${error?.message ?? error}`, 1);
      session = null;
      failed = true;
    }
    try {
      for (const section of session ? grouped : []) {
        const refusals = [];
        let written = 0;
        for (const path of args.files) {
          try {
            const sql = session.toSql({ dialect: args.dialect, section, file: path, ...(source ? { source } : {}) });
            scripts.push({ path, section, sql });
            written += 1;
          } catch (error) {
            if (!isShoplensError(error)) throw error;
            if (error.code !== 'wrong_kind') refusals.push({ path, error });
          }
        }
        if (written === 0 && (args.section !== null || single.length === 0)) {
          const { path, error } = refusals[0] ?? { path: args.files.join(' '), error: { code: 'wrong_kind', message: `no file is an order export for ${section}` } };
          fail(`${path}: no ${section} script: ${error.code}: ${error.message}`, 1);
          failed = true;
        } else {
          // Asked for every section, the files that are no part of a group are skipped quietly.
          const quiet = args.section === null ? new Set(['no_stock', 'detail_lines']) : new Set();
          for (const { path, error } of refusals) {
            if (!quiet.has(error.code)) out.stderr.write(`shoplens sql: ${path}: ${section} skipped: ${error.code}: ${error.message}\n`);
          }
        }
      }
    } finally {
      session?.free();
    }
  }

  if (args.out !== null) {
    await mkdir(args.out, { recursive: true });
    for (const { path, section, sql } of scripts) {
      const target = join(args.out, scriptName(path, section, args.dialect));
      await writeFile(target, sql);
      out.stderr.write(`${target}\n`);
    }
  } else {
    const several = scripts.length > 1;
    out.stdout.write(
      scripts
        .map(({ path, section, sql }) => (several ? `-- ──── ${path} · ${section} ────\n${sql}` : sql))
        .join('\n'),
    );
  }
  return failed ? 1 : 0;
}

/** `shoplens <command> …`. */
export async function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'sql') return sqlCommand(rest);
  if (command === '-V' || command === '--version') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const help = 'Usage: shoplens sql --dialect duckdb|spark [options] FILE...   (shoplens sql --help)\n';
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(help);
    return 0;
  }
  process.stderr.write(`shoplens: unknown command ${command}\n${help}`);
  return 2;
}

/** Run as a program (also through npx's symlink in node_modules/.bin), not imported by a test. */
function isMain() {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`shoplens: ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
