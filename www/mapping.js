// Column-mapping edits in the Data view. The engine draws one <select> per correction it accepts:
// data-file (file name), data-override = kind | platform | column, data-header (for a column);
// the value is the engine's code, empty for "not used". Edits wait here until applied, then
// become `ingest.files[file] = { kind, platform, columns: { header: field | null } }`.

export class MappingEdits {
  constructor() {
    this.byFile = {};
  }

  /** Records the value a mapping <select> was changed to. */
  record(select) {
    const { file, override: what, header } = select.dataset;
    const value = select.value || null;
    const edits = (this.byFile[file] ??= {});
    if (what === 'column') (edits.columns ??= {})[header] = value;
    else if (what === 'kind' || what === 'platform') edits[what] = value;
  }

  /** How many corrections wait. */
  count() {
    let count = 0;
    for (const edits of Object.values(this.byFile)) {
      count += Object.keys(edits.columns ?? {}).length;
      count += ['kind', 'platform'].filter((key) => key in edits).length;
    }
    return count;
  }

  /** A redraw resets the dropdowns to the report's mapping: puts the waiting edits back. */
  restore(host) {
    for (const select of host.querySelectorAll('select[data-override]')) {
      const edits = this.byFile[select.dataset.file];
      if (!edits) continue;
      const what = select.dataset.override;
      const value = what === 'column' ? edits.columns?.[select.dataset.header] : edits[what];
      if (value !== undefined) select.value = value ?? '';
    }
  }

  /** Merges the edits into `ingest` (file → FileOptions) and forgets them. */
  applyTo(ingest) {
    for (const [file, edits] of Object.entries(this.byFile)) {
      const applied = (ingest[file] ??= {});
      if ('kind' in edits) applied.kind = edits.kind;
      if ('platform' in edits) applied.platform = edits.platform;
      if (edits.columns) applied.columns = { ...applied.columns, ...edits.columns };
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
