// Part worker: reads one later part of a big file in an engine instance of its own, for the
// parallel reading in js/engine.js (`streamInParts`, served here as js/engine.js). It never sees
// the file's start: the session that read the start hands over how the file is read (a
// `continuation`), and this worker returns the part's tables as bytes (`readPart`).
//
// Messages in:
//   { type: 'init', module }                       the compiled engine (WebAssembly.Module)
//   { type: 'part', id, name, blob, ingest }        ingest: IngestOptions with the continuation
// Messages out:
//   { type: 'ready' }
//   { type: 'progress', id, bytes, rows }
//   { type: 'done', id, part }                     part: Uint8Array (transferred) for appendPart
//   { type: 'error', id, error: { code, message, file, line, column } }

import { init, plainError, readPart } from './js/engine.js';

let engineReady = null;

self.addEventListener('message', ({ data }) => {
  if (data?.type === 'init') {
    engineReady = init(data.module);
    engineReady.then(
      () => self.postMessage({ type: 'ready' }),
      (error) => self.postMessage({ type: 'error', id: null, error: plainError(error) }),
    );
  } else if (data?.type === 'part') {
    engineReady
      .then(() => readPart(data, (message) => self.postMessage(message)))
      .then((part) => self.postMessage({ type: 'done', id: data.id, part }, [part.buffer]))
      .catch((error) => self.postMessage({ type: 'error', id: data.id, error: plainError(error) }));
  }
});
