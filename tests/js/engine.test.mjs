// Loads the browser build (www/pkg, wasm-bindgen --target web) in plain Node, handing the
// .wasm bytes to the init functions instead of letting them fetch(). Run `npm run build` first.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const pkgUrl = new URL('../../www/pkg/', import.meta.url);
const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
const wasmBytes = await readFile(new URL('shoplens_bg.wasm', pkgUrl));

test('initSync({ module }) loads the engine and version() matches package.json', async () => {
  const engine = await import(new URL('shoplens.js', pkgUrl).href);
  engine.initSync({ module: wasmBytes });
  assert.equal(engine.version(), packageJson.version);
});

test('async init({ module_or_path }) loads the engine from bytes', async () => {
  // A query string makes a second, independent instance of the glue module: wasm-bindgen's
  // glue keeps one instance per module and ignores a second init.
  const engine = await import(new URL('shoplens.js?async-init', pkgUrl).href);
  await engine.default({ module_or_path: wasmBytes });
  assert.equal(engine.version(), packageJson.version);
});
