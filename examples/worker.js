// shoplens in a Web Worker: the analysis runs off the page's thread. The page posts
// `{ files: File[] }`; the worker answers `{ type: 'progress', file, bytes, totalBytes, rows }`
// while reading, then `{ type: 'done', report }` or `{ type: 'error', code, message }`.
//
// Start it as a module worker: new Worker(new URL('worker.js', import.meta.url), { type: 'module' }).
// With the package installed and a bundler, import from 'shoplens' instead of the relative path.

import { analyze } from '../js/index.js';

self.addEventListener('message', async ({ data: { files } }) => {
  try {
    // A File is streamed with file.stream(), never read whole.
    const report = await analyze(
      files.map((file) => ({ name: file.name, data: file })),
      undefined,
      { onProgress: (progress) => self.postMessage({ type: 'progress', ...progress }) },
    );
    self.postMessage({ type: 'done', report });
  } catch (error) {
    self.postMessage({ type: 'error', code: error.code, message: error.message });
  }
});
