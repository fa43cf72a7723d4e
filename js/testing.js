// Hooks for this repository's tests: not shipped (package.json `files`) and not exported.

import { callEngine, glue, init } from './engine.js';

/** Makes the engine panic with `message` through the same path as every API call. */
export async function panicForTests(message) {
  await init();
  return callEngine(() => glue.__panicForTests(message));
}
