// "SQL" on each view whose figures have a script, and "SQL scripts" in the Data tab (issue 14):
// a dialog with the script of the view's figures in DuckDB or Spark SQL, to copy or download and
// run where the data lives. The scripts are written by this thread's engine from the report's load
// reports (the summary carries them) and the options the report on screen was computed with
// (`toSql`, `sqlOffers` in crate/wasm/src/sql.rs): nothing is written here but the choices.
//
// Which sections belong to which view is the engine's (`SqlOffer.view`), so a section added to the
// engine shows up on its view, and in the Data tab, with no change here.

import { download } from './exports.js';

const DIALECTS = ['duckdb', 'spark'];

/**
 * `state`: the page state (`report`: the summary on screen, `lang`); `engine`: this thread's glue
 * (`toSql`, `sqlOffers`); `ready`: its loading promise; `reportOptions()`: the AnalyzeOptions of
 * the report on screen; `t(lang, key, params)`: the page's strings.
 */
export function createSqlDialog({ state, $, t, engine, ready, reportOptions }) {
  const dialog = $('sql-dialog');
  const code = $('sql-code');
  const note = $('sql-note');
  const sectionSelect = $('sql-section');
  const fileSelect = $('sql-file');
  const sourceType = $('sql-source-type');
  const sourceName = $('sql-source-name');
  const copyButton = $('sql-copy');
  const downloadButton = $('sql-download');
  /** The offers of the report on screen (`[{ section, file, view, error }]`), and for which report. */
  let offers = [];
  let offersOf = null;
  /** What the dialog shows: the view (null: the Data tab, every section), the dialect, the script. */
  const shown = { view: null, dialect: 'duckdb', sql: null, section: null, file: null };

  const text = (key, params) => t(state.lang, key, params);
  /** A string the page may not have (a section or code added to the engine later): `fallback` then. */
  const textOr = (key, fallback) => {
    const value = text(key);
    return value === key ? fallback : value;
  };
  const sectionLabel = (section) => textOr(`sql.section.${section}`, section);
  const errorText = (error) => textOr(`sql.error.${error.code}`, error.message);

  function currentOffers() {
    if (offersOf !== state.report) {
      offersOf = state.report;
      offers = [];
      if (state.report?.loads) {
        try {
          offers = engine.sqlOffers(state.report.loads, reportOptions());
        } catch {
          offers = [];
        }
      }
    }
    return offers;
  }

  const offersFor = (view) => currentOffers().filter((o) => view === null || o.view === view);

  /** Shows the SQL button on each view that has a script, once the report is on screen. */
  async function update() {
    await ready.catch(() => {});
    for (const panel of document.querySelectorAll('.tab-panel[data-view]')) {
      const view = panel.dataset.view;
      let bar = panel.querySelector(':scope > .sql-bar');
      const has = view === 'loads' ? currentOffers().length > 0 : offersFor(view).length > 0;
      if (!bar && has) {
        bar = document.createElement('div');
        bar.className = 'sql-bar';
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button small quiet sql-open';
        button.dataset.sqlView = view;
        button.dataset.testid = `sql-open-${view}`;
        const key = view === 'loads' ? 'sql.open_all' : 'sql.open';
        button.dataset.i18n = key;
        button.textContent = text(key);
        const titleKey = view === 'loads' ? 'sql.open_all.title' : 'sql.open.title';
        button.dataset.i18nAttr = `title:${titleKey}`;
        button.title = text(titleKey);
        bar.append(button);
        panel.prepend(bar);
      }
      if (bar) bar.hidden = !has;
    }
  }

  function fillSelect(select, values, label, chosen) {
    select.replaceChildren(
      ...values.map((value) => {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = label(value);
        return option;
      }),
    );
    if (values.includes(chosen)) select.value = chosen;
    select.closest('label').hidden = values.length < 2;
  }

  /** The sections and files to choose from, and the script of the current choice. */
  function refresh() {
    const list = offersFor(shown.view);
    const sections = [...new Set(list.map((o) => o.section))];
    // A section one of whose files has a script, first.
    const section = sections.includes(shown.section)
      ? shown.section
      : (list.find((o) => o.error === null) ?? list[0])?.section ?? null;
    fillSelect(sectionSelect, sections, sectionLabel, section);
    sectionSelect.closest('label').hidden = sections.length < 2 && shown.view !== null;
    const files = list.filter((o) => o.section === section);
    const fileNames = files.map((o) => o.file);
    const file = fileNames.includes(shown.file) ? shown.file : (files.find((o) => o.error === null) ?? files[0])?.file ?? null;
    fillSelect(fileSelect, fileNames, (name) => name, file);
    // Another file: read from it (a table named for one file is not another's).
    if (shown.file !== file) {
      sourceType.value = 'file';
      sourceName.value = file ?? '';
    }
    shown.section = section;
    shown.file = file;
    for (const button of dialog.querySelectorAll('[data-sql-dialect]')) {
      button.setAttribute('aria-pressed', String(button.dataset.sqlDialect === shown.dialect));
    }
    write();
  }

  function write() {
    shown.sql = null;
    note.hidden = true;
    note.textContent = '';
    if (shown.section === null) {
      code.textContent = '';
    } else {
      const name = sourceName.value.trim();
      const request = { dialect: shown.dialect, section: shown.section, file: shown.file };
      if (name !== '') request.source = { type: sourceType.value, name };
      try {
        shown.sql = engine.toSql(state.report.loads, reportOptions(), request).sql;
        code.textContent = shown.sql;
      } catch (error) {
        code.textContent = '';
        note.textContent = error?.code ? errorText(error) : String(error?.message ?? error);
        note.hidden = false;
      }
    }
    code.parentElement.hidden = shown.sql === null;
    copyButton.disabled = shown.sql === null;
    downloadButton.disabled = shown.sql === null;
    $('sql-copied').hidden = true;
  }

  async function open(view) {
    await ready;
    shown.view = view === 'loads' ? null : view;
    shown.section = null;
    shown.file = null;
    $('sql-title').dataset.i18n = shown.view === null ? 'sql.title_all' : 'sql.title';
    $('sql-title').textContent = text($('sql-title').dataset.i18n);
    refresh();
    if (!dialog.open) dialog.showModal();
  }

  async function copy() {
    if (shown.sql === null) return;
    try {
      await navigator.clipboard.writeText(shown.sql);
    } catch {
      // No clipboard permission (an insecure origin, a policy): select the text for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    $('sql-copied').hidden = false;
  }

  function save() {
    if (shown.sql === null) return;
    const stem = shown.file.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-') || 'export';
    download(new Blob([shown.sql], { type: 'application/sql;charset=utf-8' }), `${stem}.${shown.section}.${shown.dialect}.sql`);
  }

  function wire() {
    $('workspace').addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-sql-view]') : null;
      if (button) open(button.dataset.sqlView);
    });
    for (const button of dialog.querySelectorAll('[data-sql-dialect]')) {
      button.addEventListener('click', () => {
        if (DIALECTS.includes(button.dataset.sqlDialect)) shown.dialect = button.dataset.sqlDialect;
        refresh();
      });
    }
    sectionSelect.addEventListener('change', () => {
      shown.section = sectionSelect.value;
      refresh();
    });
    fileSelect.addEventListener('change', () => {
      shown.file = fileSelect.value;
      sourceType.value = 'file';
      sourceName.value = shown.file;
      refresh();
    });
    sourceType.addEventListener('change', () => {
      sourceName.value = sourceType.value === 'file' ? (shown.file ?? '') : '';
      sourceName.focus();
      write();
    });
    sourceName.addEventListener('input', write);
    copyButton.addEventListener('click', copy);
    downloadButton.addEventListener('click', save);
    $('sql-close').addEventListener('click', () => dialog.close());
  }

  /** The language changed: the dialog's choices and script note in the new one. */
  function relabel() {
    if (dialog.open) refresh();
  }

  return { update, wire, relabel, open };
}
