// Getting files in: the file pickers, drag and drop anywhere on the page, the sample data, and
// the per-file progress list. Files are kept as File/Blob objects (never read here): the worker
// streams them, and the page keeps them to stream again when the mapping or filters change.

import { formatBytes, formatCount, t } from './i18n.js';

/** Whether a drag carries files (not text or a link dragged from the page). */
function carriesFiles(event) {
  return Boolean(event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files'));
}

/**
 * Calls `onFiles(File[])` for files picked with any of `inputs` or dropped anywhere on the page.
 * While files are dragged over the page, `overlay` is shown and `zone` gets `.dragging`.
 */
export function installFileIntake({ inputs, zone, overlay, onFiles }) {
  for (const input of inputs) {
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []);
      // Clear it so that picking the same file again still fires `change`.
      input.value = '';
      if (files.length) onFiles(files);
    });
  }

  let depth = 0; // dragenter/dragleave fire for every child element crossed
  const setDragging = (on) => {
    overlay.hidden = !on;
    zone.classList.toggle('dragging', on);
  };
  document.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    setDragging(true);
  });
  document.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) setDragging(false);
  });
  document.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // otherwise the browser opens the file
    depth = 0;
    setDragging(false);
    const files = Array.from(event.dataTransfer.files ?? []);
    if (files.length) onFiles(files);
  });
}

/**
 * The bundled sample (www/sample/index.json lists the files) as File objects, in load order.
 * Fetched from the page's own origin, which the CSP's connect-src 'self' allows.
 */
export async function fetchSample() {
  const response = await fetch(new URL('./sample/index.json', import.meta.url));
  if (!response.ok) throw new Error(`sample/index.json: HTTP ${response.status}`);
  const manifest = await response.json();
  return Promise.all(
    manifest.files.map(async ({ name }) => {
      const file = await fetch(new URL(`./sample/${encodeURIComponent(name)}`, import.meta.url));
      if (!file.ok) throw new Error(`sample/${name}: HTTP ${file.status}`);
      return new File([await file.blob()], name, { type: 'text/csv' });
    }),
  );
}

/** The per-file progress list of one analysis run. */
export class ProgressList {
  constructor(list, lang) {
    this.list = list;
    this.lang = lang;
    this.rows = new Map(); // file name → { item, bar, meta, size, bytes, rows, state }
  }

  /** One row per file, all waiting. */
  reset(files) {
    this.list.replaceChildren();
    this.rows.clear();
    for (const { name, blob } of files) {
      const item = document.createElement('li');
      item.className = 'progress-file';
      item.dataset.file = name;
      const title = document.createElement('span');
      title.className = 'progress-name';
      title.textContent = name;
      const bar = document.createElement('progress');
      bar.max = Math.max(1, blob.size);
      bar.value = 0;
      bar.setAttribute('aria-label', name);
      const meta = document.createElement('span');
      meta.className = 'progress-meta';
      item.append(title, bar, meta);
      this.list.append(item);
      this.rows.set(name, { item, bar, meta, size: blob.size, bytes: 0, rows: 0, state: 'waiting' });
      this.describe(name);
    }
  }

  /** A progress message from the worker. */
  update({ file, bytes, rows, done, error }) {
    const row = this.rows.get(file);
    if (!row) return;
    row.bytes = bytes;
    row.rows = rows;
    row.state = error ? 'failed' : done ? 'done' : 'reading';
    row.bar.value = Math.min(row.size, bytes);
    row.item.dataset.state = row.state;
    row.item.dataset.rows = String(rows);
    row.item.dataset.bytes = String(bytes);
    this.describe(file);
  }

  /** Rewrites every row's text, e.g. after a language switch. */
  setLanguage(lang) {
    this.lang = lang;
    for (const file of this.rows.keys()) this.describe(file);
  }

  describe(file) {
    const row = this.rows.get(file);
    const lang = this.lang;
    const size = formatBytes(lang, row.size);
    let text;
    if (row.state === 'waiting') {
      text = `${t(lang, 'progress.waiting')} · ${size}`;
    } else if (row.state === 'failed') {
      text = t(lang, 'progress.failed');
    } else {
      const read = row.state === 'done' ? `${t(lang, 'progress.done')} ${size}` : `${formatBytes(lang, row.bytes)} / ${size}`;
      text = `${read} · ${t(lang, 'progress.rows', { rows: formatCount(lang, row.rows) })}`;
    }
    row.meta.textContent = text;
  }
}

/**
 * The loaded files as chips in `list`, each with a remove button. `files`: [{ name }] in load
 * order; `loads`: the report's load reports (or undefined before the first report), for a failed
 * file's mark and what was recognised; `label(key)`: the engine's text; `text(key, params)`: the
 * page's strings; `onRemove(name)`: called by a chip's ×.
 */
export function renderFileChips(list, { files, loads, label, text, onRemove }) {
  list.replaceChildren(
    ...files.map(({ name }) => {
      const item = document.createElement('li');
      item.className = 'file-chip';
      const load = loads?.find((l) => l.file === name);
      if (load?.error) item.classList.add('failed');
      const fileName = document.createElement('span');
      fileName.className = 'file-name';
      fileName.textContent = name;
      // What the engine recognised, on hover (the Data view has the details).
      const platform = load?.platform ? label(`platform.${load.platform}`) : null;
      const kind = load?.kind ? label(`kind.${load.kind}`) : null;
      fileName.title = [name, platform, kind].filter(Boolean).join(' · ');
      item.append(fileName);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'file-remove';
      remove.textContent = '×';
      remove.setAttribute('aria-label', text('files.remove', { name }));
      remove.addEventListener('click', () => onRemove(name));
      item.append(remove);
      return item;
    }),
  );
}
