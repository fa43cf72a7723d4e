// The page side of worker.html: hands the chosen files to worker.js and shows its messages.

const input = document.querySelector('#files');
const progressBar = document.querySelector('#progress');
const status = document.querySelector('#status');
const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });

/** Bytes read per file, for one progress bar over all files. */
let bytesRead = new Map();
let totalBytes = 0;

input.addEventListener('change', () => {
  const files = [...input.files];
  bytesRead = new Map();
  totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  progressBar.max = Math.max(totalBytes, 1);
  progressBar.value = 0;
  status.textContent = `Analysing ${files.length} file(s)…`;
  worker.postMessage({ files }); // File objects are cloned by reference, not copied
});

worker.addEventListener('message', ({ data: message }) => {
  if (message.type === 'progress') {
    bytesRead.set(message.file, message.bytes);
    progressBar.value = [...bytesRead.values()].reduce((sum, bytes) => sum + bytes, 0);
    status.textContent = `${message.file}: ${message.rows} rows`;
  } else if (message.type === 'done') {
    show(message.report);
  } else {
    status.textContent = `Failed (${message.code}): ${message.message}`;
  }
});

function show(report) {
  const loads = document.querySelector('#loads');
  loads.replaceChildren(
    ...report.loads.map((load) => {
      const item = document.createElement('li');
      const problem = load.error ? ` — ${load.error.code}` : '';
      item.textContent = `${load.file}: ${load.platform ?? '?'}, ${load.rows_used} rows${problem}`;
      return item;
    }),
  );
  if (report.kpi.status !== 'ready') {
    status.textContent = `No KPIs: load ${report.kpi.reason.needs}`;
    return;
  }
  const { gmv, paid_orders: paidOrders } = report.kpi.data.total;
  document.querySelector('#gmv').textContent = (gmv / 100).toFixed(2); // cents → currency units
  document.querySelector('#paid-orders').textContent = String(paidOrders);
  status.textContent = 'Done.';
}
