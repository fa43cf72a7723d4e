// Part worker: reads one later part of a big file in an engine instance of its own, for
// www/parallel.js. It never sees the file's start: the session that read the start hands over how
// the file is read (a `continuation`), and this worker returns the part's tables as bytes.
//
// Messages in:
//   { type: 'init', module }                       the compiled engine (WebAssembly.Module)
//   { type: 'part', id, name, blob, ingest }        ingest: IngestOptions with the continuation
// Messages out:
//   { type: 'ready' }
//   { type: 'progress', id, bytes, rows }
//   { type: 'done', id, part }                     part: Uint8Array (transferred) for appendPart
//   { type: 'error', id, error: { code, message, file, line, column } }

import init, { Session } from './pkg/shoplens.js';

/** Minimum time between two progress messages, ms. */
const PROGRESS_MS = 80;

let engineReady = null;

async function readPart({ id, name, blob, ingest }) {
  await engineReady;
  const session = new Session({ ingest });
  try {
    const reader = blob.stream().getReader();
    let bytes = 0;
    let lastPost = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      session.push(name, value);
      bytes += value.byteLength;
      const now = performance.now();
      if (now - lastPost >= PROGRESS_MS) {
        lastPost = now;
        self.postMessage({ type: 'progress', id, bytes, rows: session.fileProgress(name)?.rows ?? 0 });
      }
    }
    const part = session.finishPart(name);
    self.postMessage({ type: 'done', id, part }, [part.buffer]);
  } finally {
    session.free();
  }
}

self.addEventListener('message', ({ data }) => {
  if (data?.type === 'init') {
    engineReady = init({ module_or_path: data.module });
    engineReady.then(
      () => self.postMessage({ type: 'ready' }),
      (error) => self.postMessage({ type: 'error', id: null, error: plain(error) }),
    );
  } else if (data?.type === 'part') {
    readPart(data).catch((error) => self.postMessage({ type: 'error', id: data.id, error: plain(error) }));
  }
});

function plain(error) {
  return {
    code: typeof error?.code === 'string' ? error.code : 'internal_error',
    message: String(error?.message ?? error),
    file: error?.file ?? null,
    line: error?.line ?? null,
    column: error?.column ?? null,
  };
}
