// Column-mapping edits in the Data view, and the mappings the page remembers.
//
// The engine draws one <select> per correction it accepts: data-file (file name), data-override =
// kind | platform | column | status | amount_grain, data-header (for a column), data-value (the
// status as written, for a status); the value is the engine's code, empty for "not used". Edits
// wait here until applied, then become `ingest.files[file]`, the npm options' FileOptions:
// `{ kind, platform, columns: { header: field | null }, statuses: { value: meaning }, amount_grain }`.
//
// Applied corrections are remembered per header layout (the file's header columns as written, not
// its name) in localStorage, and a mapping file is the same object with the layout it is for:
// `{ header: [...], kind, platform, columns, statuses, amount_grain }`.

/** The FileOptions keys a mapping may set (the engine refuses unknown ones). */
const MAPPING_KEYS = ['kind', 'platform', 'columns', 'statuses', 'amount_grain', 'quotes'];
const STORAGE_PREFIX = 'shoplens.mapping:';
/** Meanings a user can give a status value (a report may also say `closed` or `unknown`). */
const STATUS_MEANINGS = ['paid', 'unpaid', 'cancelled', 'refunded', 'test'];

export class MappingEdits {
  constructor() {
    this.byFile = {};
  }

  /** Records the value a mapping <select> was changed to. */
  record(select) {
    const { file, override: what, header, value: status } = select.dataset;
    const value = select.value || null;
    const edits = (this.byFile[file] ??= {});
    if (what === 'column') (edits.columns ??= {})[header] = value;
    else if (what === 'status') {
      // Back to a meaning the report gave but a user cannot set: no correction.
      if (STATUS_MEANINGS.includes(value)) (edits.statuses ??= {})[status] = value;
      else delete edits.statuses?.[status];
    }
    else if (what === 'kind' || what === 'platform' || what === 'amount_grain') edits[what] = value;
  }

  /** How many corrections wait. */
  count() {
    let count = 0;
    for (const edits of Object.values(this.byFile)) {
      count += Object.keys(edits.columns ?? {}).length;
      count += Object.keys(edits.statuses ?? {}).length;
      count += ['kind', 'platform', 'amount_grain'].filter((key) => key in edits).length;
    }
    return count;
  }

  /** The files with waiting corrections. */
  files() {
    return Object.keys(this.byFile);
  }

  /** A redraw resets the dropdowns to the report's mapping: puts the waiting edits back. */
  restore(host) {
    for (const select of host.querySelectorAll('select[data-override]')) {
      const edits = this.byFile[select.dataset.file];
      if (!edits) continue;
      const what = select.dataset.override;
      let value;
      if (what === 'column') value = edits.columns?.[select.dataset.header];
      else if (what === 'status') value = edits.statuses?.[select.dataset.value];
      else value = edits[what];
      if (value !== undefined) select.value = value ?? '';
    }
  }

  /** Merges the edits into `ingest` (file → FileOptions) and forgets them. */
  applyTo(ingest) {
    for (const [file, edits] of Object.entries(this.byFile)) {
      mergeInto((ingest[file] ??= {}), edits);
    }
    this.clear();
  }

  clear() {
    this.byFile = {};
  }

  forget(file) {
    delete this.byFile[file];
  }
}

/** Merges corrections into a file's FileOptions (columns and statuses key by key). */
export function mergeInto(applied, edits) {
  for (const key of ['kind', 'platform', 'amount_grain', 'quotes']) {
    if (key in edits) applied[key] = edits[key];
  }
  if (edits.columns) applied.columns = { ...applied.columns, ...edits.columns };
  if (edits.statuses) applied.statuses = { ...applied.statuses, ...edits.statuses };
  return applied;
}

/** The header layout of a load report (its columns as written), or null when it has none. */
export function layoutOf(load) {
  if (!load?.columns?.length || (load.header_line == null && !load.error)) return null;
  return load.columns.map((column) => column.header);
}

function storageKey(layout) {
  return STORAGE_PREFIX + JSON.stringify(layout);
}

/** Only the FileOptions keys of `object`, without the empty ones. */
export function fileOptionsOf(object) {
  const options = {};
  for (const key of MAPPING_KEYS) {
    const value = object?.[key];
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object' && !Object.keys(value).length) continue;
    options[key] = value;
  }
  return options;
}

/** The remembered FileOptions for a header layout, or null. */
export function savedMapping(layout) {
  if (!layout) return null;
  try {
    const text = localStorage.getItem(storageKey(layout));
    return text ? fileOptionsOf(JSON.parse(text)) : null;
  } catch {
    return null; // storage disabled, or an entry that is not ours
  }
}

/** Remembers `options` for files with this header layout. */
export function rememberMapping(layout, options) {
  if (!layout) return false;
  try {
    localStorage.setItem(storageKey(layout), JSON.stringify({ header: layout, ...fileOptionsOf(options) }));
    return true;
  } catch {
    return false; // not persisted; the corrections still apply to this visit
  }
}

export function forgetMapping(layout) {
  if (!layout) return;
  try {
    localStorage.removeItem(storageKey(layout));
  } catch {
    // Nothing stored.
  }
}

/**
 * The mapping file of a load: the layout and everything the report says about its recognition
 * (kind, platform, every column's role, the status meanings a user can set, the amount grain), so
 * that loading it pins the same reading.
 */
export function mappingFileOf(load) {
  const columns = {};
  for (const column of load.columns) {
    columns[column.header] = column.duplicate_of == null ? (column.field ?? null) : null;
  }
  const statuses = {};
  for (const status of load.status_values ?? []) {
    if (STATUS_MEANINGS.includes(status.meaning)) statuses[status.value] = status.meaning;
  }
  return {
    header: load.columns.map((column) => column.header),
    kind: load.kind ?? null,
    platform: load.platform ?? null,
    columns,
    statuses,
    amount_grain: load.decisions?.amount_grain ?? null,
  };
}

/** Reads a mapping file: `{ header, options }`, or throws an Error saying what is wrong. */
export function parseMappingFile(text) {
  let object;
  try {
    object = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  const header = object?.header;
  if (!Array.isArray(header) || !header.length || !header.every((h) => typeof h === 'string')) {
    throw new Error('no "header" list of column names');
  }
  const unknown = Object.keys(object).filter((key) => key !== 'header' && !MAPPING_KEYS.includes(key));
  if (unknown.length) throw new Error(`unknown field(s): ${unknown.join(', ')}`);
  for (const key of ['columns', 'statuses']) {
    const value = object[key];
    if (value != null && (typeof value !== 'object' || Array.isArray(value))) {
      throw new Error(`"${key}" must be an object`);
    }
  }
  return { header, options: fileOptionsOf(object) };
}

/** Whether two header layouts are the same columns in the same order. */
export function sameLayout(a, b) {
  return Boolean(a && b) && a.length === b.length && a.every((header, i) => header === b[i]);
}
