// Small process helpers shared by setup.mjs, build.mjs and test.mjs. No dependencies: these
// scripts run before `npm ci` has installed anything.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of the repository root (the folder holding package.json). */
export const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** Path of an npm-installed executable, e.g. `binPath('wasm-opt')`. */
export function binPath(name) {
  return join(repoRoot, 'node_modules', '.bin', name);
}

/** True when the module with this `import.meta.url` is the script Node was started with. */
export function isMainModule(moduleUrl) {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** Prints one progress line, prefixed so the scripts' own output stands out from the tools'. */
export function say(message) {
  console.log(`[shoplens] ${message}`);
}

/** Formats a duration given in milliseconds as seconds with one decimal, e.g. `12.3 s`. */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A command line for messages, with paths inside the repository shown relative to it. */
function displayCommand(command, args) {
  return [command, ...args]
    .map((word) => (word.startsWith(`${repoRoot}/`) ? word.slice(repoRoot.length + 1) : word))
    .join(' ');
}

/**
 * Runs a command with inherited stdio from the repository root and throws if it fails, with
 * the command line in the message. `opts.env` is merged over the current environment.
 */
export function run(command, args, opts = {}) {
  say(`$ ${displayCommand(command, args)}`);
  const result = spawnSync(command, args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: 'inherit',
  });
  if (result.error) {
    throw new Error(`could not start \`${command}\`: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const how = result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
    throw new Error(`\`${displayCommand(command, args)}\` failed with ${how}`);
  }
}

/**
 * Runs a command quietly and returns its trimmed stdout, or `null` when it cannot be started
 * or exits non-zero. For probes such as `wasm-bindgen --version`.
 */
export function probe(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}
