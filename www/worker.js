// Engine worker: loads the WebAssembly engine off the main thread and answers the page.
// Messages to the page: { type: 'ready', version } once loaded, { type: 'error', message }.

import init, { version } from './pkg/shoplens.js';

try {
  await init(); // fetches ./pkg/shoplens_bg.wasm next to the glue module
  self.postMessage({ type: 'ready', version: version() });
} catch (error) {
  self.postMessage({ type: 'error', message: `engine failed to load: ${error}` });
}
