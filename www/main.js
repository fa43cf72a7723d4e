// Page script: starts the engine in a module worker and shows its version. All computation
// stays in the worker (worker.js); this file only talks to it and updates the DOM.

const versionElement = document.getElementById('engine-version');
const statusElement = document.getElementById('engine-status');

function showEngineError(message) {
  if (versionElement) versionElement.textContent = 'unavailable';
  if (statusElement) statusElement.textContent = message;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

worker.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'ready') {
    if (versionElement) versionElement.textContent = message.version;
  } else if (message.type === 'error') {
    showEngineError(message.message);
  }
});

// Fires when the worker script itself cannot load (missing file, syntax error, CSP).
worker.addEventListener('error', (event) => {
  showEngineError(event.message || 'the engine worker could not start');
});
