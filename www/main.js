// The page: files in, report out, views drawn by the engine.
//
// Analysis runs in a worker (analysis.js → worker.js), which streams the files into the engine and
// keeps the report there: this thread gets its summary (the fields its controls read), and each
// view it draws as the engine's node tree (mounted with DOM calls, mount.js), the exports as text.
// This thread's own engine instance labels the page's controls and draws the Data tab and the
// banner, which show only the load reports the summary carries. The page holds the
// File objects, so changing the column mapping, the filters or an analysis option (funnel window,
// cohort period) streams them again with new options; view options (trend grain, cohort metric,
// RFM segment, product sort and search) only redraw. No figure is computed here.
//
// This file keeps the state, the analysis runs, view switching and startup; the Data tab's mapping
// (data-tab.js), the analysis controls and step picker (analysis-controls.js), the exports
// (report-exports.js) and the file chips (intake.js) are wired in their own modules, given the
// state and the callbacks they need.

import init, * as engine from './pkg/shoplens.js';
import { AnalysisWorker, Cancelled } from './analysis.js';
import { createAnalysisControls } from './analysis-controls.js';
import { createCurrencyControls, currencyOptions, noCurrencyChoice } from './currency.js';
import { createDataTab } from './data-tab.js';
import { applyStrings, initialLanguage, saveLanguage, t } from './i18n.js';
import { facetsOf, filterOption, isFilterActive, NO_FILTER, readFilters, showFilters } from './filters.js';
import { fetchSample, installFileIntake, ProgressList, renderFileChips } from './intake.js';
import { MappingEdits } from './mapping.js';
import { createReportExports } from './report-exports.js';
import { markSortedColumn, nextProductSort, sortTableInPlace } from './tables.js';
import { installTooltips } from './tooltip.js';
import { mountTree } from './mount.js';
import { DEFAULT_STOCK, wireStockControls } from './stock-controls.js';
import { abOption, wireAbControls } from './ab-controls.js';
import { createSqlDialog } from './sql-dialog.js';

const VIEWS = ['overview', 'funnel', 'cohorts', 'customers', 'products', 'promotion', 'stock', 'ab', 'loads'];
/** Report section behind each view, for the "needs more data" mark on its tab. */
const VIEW_SECTION = { overview: 'kpi', funnel: 'funnel', cohorts: 'cohorts', customers: 'rfm', products: 'products', promotion: 'promotion', stock: 'stock' };
const DEFAULT_FUNNEL_WINDOW = 7 * 86_400;

const $ = (id) => document.getElementById(id);
/** The A/B toolbar (set by wire()). */
let abControls = null;

const state = {
  lang: initialLanguage(),
  /** [{ name, blob }] in load order; a file with the name of a loaded one replaces it. */
  files: [],
  /** The summary of the report on screen (the report itself stays in the engine worker). */
  report: null,
  /** The worker's run whose report is on screen: views and exports are asked of it. */
  reportRun: null,
  /** The summary read by this thread's engine, for the Data tab and the banner (loadsView()). */
  loadsView: null,
  /** Choices of the filter dropdowns, from the last report computed without filters. */
  facets: null,
  /**
   * Applied mapping corrections: file name → FileOptions
   * ({ kind, platform, columns: { header: field | null }, statuses: { value: meaning }, amount_grain }).
   */
  ingest: {},
  /** Files whose corrections are remembered for their header layout: name → 'applied' | 'remembered'. */
  savedMappings: {},
  /** Mapping edits made in the Data view but not applied yet. */
  pending: new MappingEdits(),
  filter: { ...NO_FILTER },
  /** `steps`: FunnelOptions.steps chosen in the step picker; null = the engine's default. */
  funnel: { mode: 'sequential', window_seconds: DEFAULT_FUNNEL_WINDOW, steps: null },
  /** The event names of the last behaviour log analysed (`event_names` of its funnel report). */
  eventNames: [],
  cohortGrain: 'month',
  /** AnalyzeOptions.stock: lead time, service level, review period (Stock tab). */
  stock: { ...DEFAULT_STOCK },
  /** The A/B tab's group choice (see ab-controls.js); AnalyzeOptions.ab when complete. */
  ab: { by: 'item' },
  /** PromotionOptions: { campaign?: { from, to }, baseline?: 'before' | 'year_before' | { from, to } }. */
  promotion: {},
  /** The report's currency (null: the engine's default) and exchange rates by pair (currency.js). */
  currency: noCurrencyChoice(),
  /** ViewOptions the page changes (the rest take the engine's defaults). */
  view: { grain: null, split_by: null, cohort_metric: 'retention', segment: null, sort: null, product_filter: '', stock_product: null },
  activeView: 'overview',
  /** Views drawn for the current report, language and view options. */
  drawn: new Set(),
  /** The views' stylesheet (style.css), fetched once to inline into the HTML report. */
  css: null,
  /** Set by the Cancel button, so that only a user's cancel is announced. */
  cancelRequested: false,
  /** Files and options of the report on screen (see commit()). */
  committed: null,
  /** The AnalyzeOptions the report on screen was computed with (its SQL scripts follow them). */
  reportOptions: null,
};

const mainEngine = init(); // this thread's instance: labels, the Data tab and the banner
let progress;
let analysis;

// The Data tab, the analysis controls and the exports, each given the state and what it calls back.
const dataTab = createDataTab({
  state,
  $,
  t,
  showMessage,
  runAnalysis,
  drawView,
  selectTab,
  hostOf,
  loadsView,
  viewOptions,
  recoverEngine,
});
const { updateMappingBar, loadOf, applySavedMappings, renderBanner } = dataTab;
const analysisControls = createAnalysisControls({ state, $, t, engineLabel, runAnalysis, viewHasData });
const { syncToolbars, renderSteps } = analysisControls;
const currencyControls = createCurrencyControls({ state, $, t, engineLabel, runAnalysis, showMessage });
const sqlDialog = createSqlDialog({ state, $, t, engine, ready: mainEngine, reportOptions: () => state.reportOptions });
const { exportTarget, exportReport, reportExportError } = createReportExports({
  state,
  t,
  exportText,
  viewOptions,
  showMessage,
  recoverEngine,
});

// ── messages ───────────────────────────────────────────────────────────────────────────────────

/** Shows a dismissible message (`kind`: info, warning, error). Text only. */
/** A message above the workspace. `key`: the text is that string's, re-translated when the language changes. */
function showMessage(kind, text, key) {
  const item = document.createElement('div');
  item.className = `message ${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const body = document.createElement('p');
  body.textContent = text;
  if (key) body.dataset.i18n = key;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'message-close';
  close.setAttribute('aria-label', t(state.lang, 'status.dismiss'));
  close.dataset.i18nAttr = 'aria-label:status.dismiss';
  close.textContent = '×';
  close.addEventListener('click', () => item.remove());
  item.append(body, close);
  $('messages').append(item);
  return item;
}

function clearMessages() {
  $('messages').replaceChildren();
}

/** The engine's localised text for `key`, or null (also before the engine is loaded). */
function engineLabel(key) {
  try {
    return engine.label(state.lang, key) ?? null;
  } catch {
    return null;
  }
}

/** A file's read error in the user's language, with what to do (from the engine's strings). */
function fileErrorText(file, error) {
  const message = engineLabel(`error.${error.code}`) ?? error.message;
  const where = error.line ? ` (${engineLabel('load.line') ?? 'line'} ${error.line})` : '';
  return t(state.lang, 'status.file_error', { name: file, message: `${message}${where}` });
}

// ── options ────────────────────────────────────────────────────────────────────────────────────

/** AnalyzeOptions for the worker. */
function analyzeOptions() {
  return {
    ingest: { files: state.ingest },
    filter: filterOption(state.filter),
    funnel: {
      mode: state.funnel.mode,
      window_seconds: state.funnel.window_seconds,
      ...(state.funnel.steps ? { steps: state.funnel.steps } : {}),
    },
    cohort: { grain: state.cohortGrain },
    stock: { ...state.stock },
    ...(abOption(state.ab) ? { ab: abOption(state.ab) } : {}),
    promotion: state.promotion,
    ...currencyOptions(state.currency),
  };
}

/** ViewOptions for `render` and the exports. */
function viewOptions() {
  const v = state.view;
  return {
    lang: state.lang,
    grain: v.grain,
    split_by: v.split_by ?? null,
    cohort_metric: v.cohort_metric,
    segment: v.segment,
    sort: v.sort,
    product_filter: v.product_filter.trim() || null,
    stock_product: v.stock_product,
    interactive: true,
    saved_mappings: state.savedMappings,
  };
}

// ── analysis ───────────────────────────────────────────────────────────────────────────────────

/** Adds files (a file named like a loaded one replaces it) and analyses everything again. */
function addFiles(files) {
  for (const file of files) {
    const entry = { name: file.name, blob: file };
    const index = state.files.findIndex((f) => f.name === file.name);
    if (index >= 0) state.files[index] = entry;
    else state.files.push(entry);
  }
  state.promotion = {};
  renderFileList();
  runAnalysis({ newData: true });
}

function removeFile(name) {
  state.files = state.files.filter((f) => f.name !== name);
  delete state.ingest[name];
  delete state.savedMappings[name];
  state.pending.forget(name);
  renderFileList();
  if (state.files.length) runAnalysis({ newData: true });
  else resetAll();
}

function resetAll() {
  if (analysis.current) analysis.cancel();
  analysis.keep(null); // no report on screen: the worker frees them all
  state.files = [];
  state.report = null;
  state.reportRun = null;
  state.loadsView?.free();
  state.loadsView = null;
  state.facets = null;
  state.ingest = {};
  state.savedMappings = {};
  state.pending.clear();
  state.filter = { ...NO_FILTER };
  state.currency = noCurrencyChoice();
  state.funnel.steps = null;
  state.eventNames = [];
  state.promotion = {};
  state.committed = null;
  state.drawn.clear();
  for (const view of VIEWS) hostOf(view).replaceChildren();
  renderBanner();
  $('filters').reset();
  renderFileList();
  $('progress').hidden = true;
  $('workspace').hidden = true;
  $('intake').hidden = false;
  $('export-html').hidden = true;
  clearMessages();
}

/**
 * Streams every file through the engine with the current options and shows the new report.
 * `newData`: the files changed (pick the first view that has data; recompute filter choices).
 */
async function runAnalysis({ newData = false } = {}) {
  if (!state.files.length) return;
  // Other files, other currencies: back to the engine's default currency, without rates.
  if (newData) state.currency = noCurrencyChoice();
  const files = state.files.slice();
  progress.reset(files);
  $('progress-stage').hidden = true;
  $('progress').hidden = false;
  document.body.classList.add('busy');
  let report;
  let runId;
  // A copy: the mapping edits change `state.ingest` in place, not the options of this report.
  const options = structuredClone(analyzeOptions());
  try {
    ({ report, runId } = await analysis.run(files, options, {
      onProgress: (message) => {
        progress.update(message);
        if (message.error) {
          showMessage('error', fileErrorText(message.file, message.error)).dataset.file = message.file;
        }
      },
      onAnalyzing: () => {
        $('progress-stage').hidden = false;
      },
    }));
  } catch (error) {
    if (error instanceof Cancelled) {
      // Replaced by a newer run (nothing to do), or cancelled: back to what the report shows.
      if (analysis.current === null) {
        endBusy();
        restoreCommitted();
        if (state.cancelRequested) showMessage('info', t(state.lang, 'status.cancelled'), 'status.cancelled');
        state.cancelRequested = false;
      }
      return;
    }
    endBusy();
    restoreCommitted();
    showMessage('error', `${t(state.lang, 'status.failed')}${engineLabel(`error.${error.code}`) ?? error.message}`);
    return;
  }
  // A file whose header layout has a remembered mapping is read again with it, before showing.
  if (applySavedMappings(report)) {
    runAnalysis({ newData });
    return;
  }
  state.reportOptions = options;
  await showReport(report, runId, { newData });
  // The progress goes away once the new report is on screen (unless a newer run has started).
  if (analysis.current === null) endBusy();
}

function endBusy() {
  $('progress').hidden = true;
  document.body.classList.remove('busy');
}

/** The inputs of the report on screen, to go back to when a newer analysis is cancelled. */
function commit() {
  state.committed = {
    files: state.files.slice(),
    ingest: structuredClone(state.ingest),
    savedMappings: { ...state.savedMappings },
    filter: { ...state.filter },
    funnel: { ...state.funnel },
    cohortGrain: state.cohortGrain,
    stock: { ...state.stock },
    promotion: structuredClone(state.promotion),
    currency: structuredClone(state.currency),
  };
}

function restoreCommitted() {
  const saved = state.committed;
  if (!saved) {
    state.files = [];
    renderFileList();
    return;
  }
  state.files = saved.files.slice();
  state.ingest = structuredClone(saved.ingest);
  state.savedMappings = { ...saved.savedMappings };
  state.filter = { ...saved.filter };
  state.funnel = { ...saved.funnel };
  state.cohortGrain = saved.cohortGrain;
  state.stock = { ...saved.stock };
  state.promotion = structuredClone(saved.promotion);
  state.currency = structuredClone(saved.currency);
  renderFileList();
  renderFilters();
  renderSteps();
  syncToolbars();
}

async function showReport(report, runId, { newData }) {
  // The filter and file labels come from this thread's engine.
  await mainEngine.catch(() => {});
  state.report = report;
  state.reportRun = runId;
  state.loadsView?.free();
  state.loadsView = null;
  analysis.keep(runId);
  commit();
  if (!isFilterActive(state.filter)) state.facets = facetsOf(report);
  const funnel = report.funnel?.status === 'ready' ? report.funnel.data : null;
  if (funnel) state.eventNames = funnel.source === 'events' ? funnel.event_names : [];
  else if (newData) state.eventNames = [];
  renderSteps();
  state.pending.clear();
  state.drawn.clear();
  // A file read without error now (mapped by hand, or by a remembered mapping) has no error to
  // show, and an unrecognised header is the banner's to explain (with the way to map it).
  for (const item of $('messages').querySelectorAll('.message[data-file]')) {
    const load = loadOf(item.dataset.file);
    if (load && (!load.error || load.error.code === 'unrecognised_header')) item.remove();
  }
  $('intake').hidden = true;
  $('workspace').hidden = false;
  $('export-html').hidden = false;
  renderFilters();
  renderFileList();
  abControls?.suggest(report);
  currencyControls.render();
  markTabs();
  updateMappingBar();
  renderBanner();
  sqlDialog.update();
  if (newData && !viewHasData(state.activeView)) {
    const firstWithData = VIEWS.find(viewHasData);
    if (firstWithData) {
      await selectTab(firstWithData);
      return;
    }
  }
  await drawView(state.activeView);
}

function viewHasData(view) {
  const section = VIEW_SECTION[view];
  return !section || state.report?.[section]?.status === 'ready';
}

// ── views ──────────────────────────────────────────────────────────────────────────────────────

function hostOf(view) {
  return $(`panel-${view}`).querySelector('.view-host');
}

/** The latest draw of each view host: an older draw that resolves later is dropped. */
const drawing = new Map();

/** Draws `view` of the current report with the engine (DOM nodes, never HTML text). */
async function drawView(view) {
  if (!state.report) return;
  const host = hostOf(view);
  const ticket = {};
  const runId = state.reportRun;
  drawing.set(host, ticket);
  // A newer draw of this host, or another report on screen meanwhile: this draw is dropped.
  const stale = () => drawing.get(host) !== ticket || state.reportRun !== runId;
  try {
    if (view === 'loads') {
      // Drawn here, from the load reports the summary holds (see loadsView()).
      await mainEngine;
      if (stale()) return;
      loadsView().render(host, view, viewOptions());
    } else {
      const tree = await analysis.render(runId, view, viewOptions());
      if (stale()) return;
      mountTree(host, tree);
    }
  } catch (error) {
    if (stale()) return;
    // The worker let go of the report on screen to compute the next one: that one draws soon.
    if (error?.code === 'report_gone' && analysis.current) return;
    host.replaceChildren();
    const note = document.createElement('p');
    note.className = 'render-error';
    note.textContent = `${t(state.lang, 'status.render_failed')}${error?.message ?? error}`;
    host.append(note);
    recoverEngine(error);
    return;
  }
  state.drawn.add(view);
  if (view === 'loads') state.pending.restore(host);
  if (view === 'products') markSortedColumn(host, state.view.sort);
  syncToolbars();
}

/**
 * The Data tab's and the banner's report in this thread's engine: the summary's load reports and
 * currencies, read once per report, on first use (ReportView.fromSummary).
 */
function loadsView() {
  state.loadsView ??= engine.ReportView.fromSummary(state.report);
  return state.loadsView;
}

/** An export of the current report as text (see AnalysisWorker.exportText). */
function exportText(format, args) {
  return analysis.exportText(state.reportRun, format, args);
}

/**
 * After the engine worker trapped (and was replaced), the report on screen is no longer held
 * anywhere: it is computed again from the same files and options.
 */
function recoverEngine(error) {
  if (error?.name !== 'ShoplensError') {
    // This thread's instance trapped (drawing the Data tab or the banner): a fresh one next time.
    state.loadsView = null; // belonged to the trapped instance
    try {
      engine.__wbg_reset_state?.();
    } catch {
      // Nothing more to do; the message is shown.
    }
    return;
  }
  if (error.code !== 'report_gone' || !state.report || analysis.current) return;
  runAnalysis();
}

function redrawActive() {
  state.drawn.clear();
  drawView(state.activeView);
}

function selectTab(view) {
  state.activeView = view;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  for (const panel of document.querySelectorAll('.tab-panel')) {
    panel.hidden = panel.dataset.view !== view;
  }
  return state.drawn.has(view) ? Promise.resolve() : drawView(view);
}

/**
 * Marks tabs whose view lacks data, and the Data tab when rows were rejected or a file failed, or
 * else when a column role is a guess or a status's meaning is unknown.
 */
function markTabs() {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const view = tab.dataset.view;
    tab.querySelector('.tab-badge')?.remove();
    let badge = null;
    if (view === 'loads') {
      const issues = state.report.loads.some((l) => l.error || l.rows_rejected > 0);
      // A guessed role or a status of unknown meaning waits for the user there too.
      const guesses = state.report.loads.some(
        (l) => l.columns.some((c) => c.doubtful) || (l.status_values ?? []).some((s) => s.meaning === 'unknown'),
      );
      if (issues) badge = ['issues', '!', t(state.lang, 'tab.has_issues')];
      else if (guesses) badge = ['issues', '?', t(state.lang, 'tab.has_guesses')];
    } else if (!viewHasData(view)) {
      badge = ['missing', '–', t(state.lang, 'tab.unavailable')];
    }
    tab.classList.toggle('tab-missing', Boolean(badge) && view !== 'loads');
    if (badge) {
      const mark = document.createElement('span');
      mark.className = `tab-badge ${badge[0]}`;
      mark.textContent = badge[1];
      mark.title = badge[2];
      mark.setAttribute('aria-label', badge[2]);
      tab.append(mark);
    }
  }
}

// ── filters ────────────────────────────────────────────────────────────────────────────────────

function renderFilters() {
  showFilters($('filters'), {
    facets: state.facets,
    filter: state.filter,
    allText: t(state.lang, 'filters.all'),
    platformName: (code) => engineLabel(`platform.${code}`) ?? code,
  });
}

// ── files bar ──────────────────────────────────────────────────────────────────────────────────

function renderFileList() {
  renderFileChips($('file-list'), {
    files: state.files,
    loads: state.report?.loads,
    label: engineLabel,
    text: (key, params) => t(state.lang, key, params),
    onRemove: removeFile,
  });
}

// ── language ───────────────────────────────────────────────────────────────────────────────────

function setLanguage(lang) {
  state.lang = lang;
  saveLanguage(lang);
  document.documentElement.lang = lang;
  applyStrings(document, lang);
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  progress?.setLanguage(lang);
  if (state.report) {
    renderFilters();
    renderSteps();
    renderFileList();
    currencyControls.render();
    markTabs();
    updateMappingBar();
    renderBanner();
    sqlDialog.relabel();
    redrawActive();
  }
}

// ── wiring ─────────────────────────────────────────────────────────────────────────────────────

function onWorkspaceClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const view = target.closest('.tab-panel')?.dataset.view ?? state.activeView;

  const option = target.closest('button[data-option][data-value]');
  if (option) {
    const name = option.dataset.option;
    const value = option.dataset.value;
    if (name === 'grain') state.view.grain = value;
    else if (name === 'split_by') state.view.split_by = value === 'none' ? null : value;
    else if (name === 'cohort_metric') state.view.cohort_metric = value;
    else if (name === 'segment') state.view.segment = state.view.segment === value ? null : value;
    else return;
    state.drawn.clear();
    drawView(view);
    return;
  }

  // Funnel mode/window, cohort period: analysed again.
  if (analysisControls.onWorkspaceClick(target)) return;

  // The banner's "map this file", confirming guessed roles, a remembered mapping's actions.
  if (dataTab.onWorkspaceClick(target)) return;

  const exportButton = target.closest('button[data-export]');
  if (exportButton) {
    exportTarget(exportButton.dataset.export, exportButton.dataset.target, view).catch(reportExportError);
    return;
  }

  const header = target.closest('th[data-sort]');
  if (header) {
    if (header.closest('table')?.id === 'table-products') {
      state.view.sort = nextProductSort(header, state.view.sort);
      state.drawn.delete('products');
      drawView('products');
    } else {
      sortTableInPlace(header, state.lang);
    }
  }
}

function onTabKeydown(event) {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  const index = tabs.indexOf(event.target.closest('[role="tab"]'));
  if (index < 0) return;
  let next = null;
  if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
  else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = tabs.length - 1;
  if (next === null) return;
  event.preventDefault();
  tabs[next].focus();
  selectTab(tabs[next].dataset.view);
}

function wire() {
  installTooltips($('tooltip'));
  installFileIntake({
    inputs: [$('file-input'), $('add-input')],
    zone: $('drop-zone'),
    overlay: $('drop-overlay'),
    onFiles: (files) => {
      clearMessages();
      addFiles(files);
    },
  });

  $('try-sample').addEventListener('click', async () => {
    const button = $('try-sample');
    button.disabled = true;
    clearMessages();
    const note = showMessage('info', t(state.lang, 'sample.loading'), 'sample.loading');
    try {
      const files = await fetchSample();
      note.remove();
      state.files = [];
      state.ingest = {};
      state.savedMappings = {};
      state.filter = { ...NO_FILTER };
      addFiles(files);
      showMessage('info', t(state.lang, 'sample.description'), 'sample.description');
    } catch (error) {
      note.remove();
      showMessage('error', `${t(state.lang, 'sample.failed')}${error.message}`);
    } finally {
      button.disabled = false;
    }
  });

  $('cancel').addEventListener('click', () => {
    state.cancelRequested = true;
    analysis.cancel();
  });
  $('clear-files').addEventListener('click', resetAll);
  $('export-html').addEventListener('click', () => exportReport().catch(reportExportError));

  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => setLanguage(button.dataset.lang));
  }

  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener('click', () => selectTab(tab.dataset.view));
  }
  document.querySelector('[role="tablist"]').addEventListener('keydown', onTabKeydown);

  $('workspace').addEventListener('click', onWorkspaceClick);
  dataTab.wire();
  currencyControls.wire();
  sqlDialog.wire();

  $('filters').addEventListener('change', () => {
    state.filter = readFilters($('filters'));
    renderFilters();
    runAnalysis();
  });
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('workspace').addEventListener('submit', (event) => analysisControls.onWorkspaceSubmit(event));
  $('filters').addEventListener('reset', (event) => {
    event.preventDefault();
    state.filter = { ...NO_FILTER };
    renderFilters();
    runAnalysis();
  });

  wireStockControls({
    state,
    $,
    runAnalysis,
    redraw: () => {
      state.drawn.delete('stock');
      drawView('stock');
    },
  });

  abControls = wireAbControls({ state, $, runAnalysis });

  let searchTimer;
  $('product-search').addEventListener('input', (event) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.view.product_filter = event.target.value;
      state.drawn.delete('products');
      drawView('products');
    }, 200);
  });
}

function start() {
  setLanguage(state.lang);
  progress = new ProgressList($('progress-files'), state.lang);
  wire();
  analysis = new AnalysisWorker({
    onReady: (version) => {
      $('engine-version').textContent = version;
      $('engine-status').textContent = '';
      $('try-sample').disabled = false;
    },
    onFailure: (error) => {
      $('engine-version').textContent = '—';
      $('engine-status').textContent = `${t(state.lang, 'status.engine_failed')}${error.message}`;
    },
  });
  mainEngine.catch((error) => {
    $('engine-status').textContent = `${t(state.lang, 'status.engine_failed')}${error.message ?? error}`;
  });
}

start();
