// The page's side of the engine worker (worker.js): one analysis at a time, cancellable.
// Cancelling terminates the worker (the only way to stop a synchronous push mid-file) and starts
// a fresh one, so the next analysis never waits for the old one.

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

  handle(message, signalReady) {
    const run = this.current;
    switch (message.type) {
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
          run.resolve(message.report);
        }
        return;
      case 'error': {
        const error = new EngineError(message.error);
        if (message.fatal) {
          // The engine instance trapped: replace the worker before anything else runs.
          this.worker.terminate();
          this.start();
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
   * Resolves to the report; rejects with EngineError, or Cancelled when cancel() or another
   * run() replaced it.
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
      this.worker.postMessage({ type: 'analyze', runId, files, options });
    }
    return promise;
  }

  /** Stops the running analysis at once and gets a fresh worker ready. */
  cancel() {
    const run = this.current;
    this.current = null;
    this.worker.terminate();
    this.start();
    run?.reject(new Cancelled());
  }
}
