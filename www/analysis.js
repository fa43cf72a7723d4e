// The page's side of the engine worker (worker.js): one analysis at a time, cancellable, and the
// report kept in the worker: a run resolves to the report's summary (the fields the page's own
// controls read), and the views and exports of a run's report are asked of the worker
// (`render`, `exportText`). Cancelling aborts the run in the worker at its next chunk
// (the report on screen stays there); only a trapped engine is replaced by a fresh worker.

/** Rejection reason of a run that was cancelled or replaced. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
    this.code = 'cancelled';
  }
}

/** An engine error as the worker sent it: `code`, `file`, `line`, `column`, English message. */
export class EngineError extends Error {
  constructor({ code, message, file, line, column }) {
    super(message);
    this.name = 'ShoplensError';
    this.code = code;
    this.file = file ?? null;
    this.line = line ?? null;
    this.column = column ?? null;
  }
}

export class AnalysisWorker {
  /**
   * `onReady(version)` runs each time a worker has loaded the engine; `onFailure(error)` when a
   * worker cannot start at all.
   */
  constructor({ onReady, onFailure }) {
    this.onReady = onReady;
    this.onFailure = onFailure;
    this.nextRunId = 1;
    this.current = null; // { runId, resolve, reject, onProgress, onAnalyzing }
    /** Requests waiting for the worker's reply: id → { resolve, reject }. */
    this.requests = new Map();
    this.nextRequestId = 1;
    this.start();
  }

  start() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    let signalReady;
    this.ready = new Promise((resolve) => {
      signalReady = resolve;
    });
    this.worker.addEventListener('message', (event) => this.handle(event.data, signalReady));
    // The worker script itself could not load (missing file, syntax error, CSP).
    this.worker.addEventListener('error', (event) => {
      this.onFailure?.(new Error(event.message || 'the engine worker could not start'));
    });
  }

  /** A fresh worker after a trap: the old one's reports are gone with it. */
  restart() {
    this.worker.terminate();
    for (const { reject } of this.requests.values()) {
      reject(new EngineError({ code: 'report_gone', message: 'The engine restarted; the report must be computed again.' }));
    }
    this.requests.clear();
    this.start();
  }

  handle(message, signalReady) {
    const run = this.current;
    switch (message.type) {
      case 'reply': {
        const request = this.requests.get(message.id);
        if (!request) return;
        this.requests.delete(message.id);
        if (message.error) {
          request.reject(new EngineError(message.error));
          if (message.fatal) this.restart();
        } else {
          request.resolve(message.value);
        }
        return;
      }
      case 'ready':
        signalReady();
        this.onReady?.(message.version);
        return;
      case 'progress':
        if (run?.runId === message.runId) run.onProgress?.(message);
        return;
      case 'analyzing':
        if (run?.runId === message.runId) run.onAnalyzing?.();
        return;
      case 'done':
        if (run?.runId === message.runId) {
          this.current = null;
          run.resolve({ runId: message.runId, report: message.report });
        }
        return;
      case 'error': {
        const error = new EngineError(message.error);
        if (message.fatal) {
          // The engine instance trapped: replace the worker before anything else runs.
          this.restart();
          if (message.runId === null) this.onFailure?.(error);
        }
        if (run && (run.runId === message.runId || message.runId === null)) {
          this.current = null;
          run.reject(error);
        }
        return;
      }
      default:
    }
  }

  /**
   * Streams `files` ([{ name, blob }]) through the engine with `options` (AnalyzeOptions).
   * Resolves to `{ runId, report }` (report: the summary, see crate/wasm/src/page.rs); rejects
   * with EngineError, or Cancelled when cancel() or another run() replaced it.
   */
  async run(files, options, { onProgress, onAnalyzing } = {}) {
    // A worker busy with an older run would finish it first: replace it instead.
    if (this.current) this.cancel();
    const runId = this.nextRunId++;
    const promise = new Promise((resolve, reject) => {
      this.current = { runId, resolve, reject, onProgress, onAnalyzing };
    });
    // A newer run may reject this one while it waits for the worker below, before the caller
    // holds the promise; the caller still gets the rejection.
    promise.catch(() => {});
    await this.ready;
    if (this.current?.runId === runId) {
      this.worker.postMessage({ type: 'analyze', runId, files, options, handover: 'view' });
    }
    return promise;
  }

  /** Stops the running analysis (the worker drops it at its next chunk, or drops its result). */
  cancel() {
    const run = this.current;
    this.current = null;
    if (run) this.worker.postMessage({ type: 'abort', runId: run.runId });
    run?.reject(new Cancelled());
  }

  /** The page shows run `runId`'s report: the worker frees the others. */
  keep(runId) {
    this.worker.postMessage({ type: 'keep', runId });
  }

  /** Sends `message` to the worker and resolves to its reply's value. */
  request(message) {
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** `view` of run `runId`'s report as a node tree in JSON text (mount.js draws it). */
  render(runId, view, options) {
    return this.request({ type: 'render', runId, view, options });
  }

  /** An export of run `runId`'s report as text: `format` csv (`target` table), svg (`view`, `target` chart) or html. */
  exportText(runId, format, { view = null, target = null, options }) {
    return this.request({ type: 'export', runId, format, view, target, options });
  }
}
