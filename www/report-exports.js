// The export buttons: a table as CSV, a chart as SVG or PNG, the whole report as one HTML file.
// The engine writes the text (the engine worker, which holds the report, with the view options on
// screen); exports.js makes the blobs and the downloads.

import { csvBlob, download, exportFileName, htmlBlob, pngFromSvg, svgBlob } from './exports.js';

/**
 * The exports of the report on screen, over the page's `state` (report, facets, css, lang). `page`
 * gives `t(lang, key, params)`, `exportText(format, { view, target, options })` (the engine
 * worker's text, a promise), `viewOptions()`, `showMessage(kind, text)` and `recoverEngine(error)`.
 */
export function createReportExports(page) {
  const { state, t, exportText, viewOptions, showMessage, recoverEngine } = page;

  async function pageCss() {
    if (state.css === null) {
      const response = await fetch(new URL('./style.css', import.meta.url));
      state.css = response.ok ? await response.text() : '';
    }
    return state.css;
  }

  function lastDay() {
    return state.report?.kpi?.data?.last_day ?? state.facets?.lastDay ?? null;
  }

  async function exportTarget(kind, target, view) {
    const what = target.replace(/^(table|chart)-/, '');
    const options = viewOptions();
    if (kind === 'csv') {
      download(csvBlob(await exportText('csv', { target, options })), exportFileName(what, lastDay(), 'csv'));
    } else if (kind === 'svg') {
      download(svgBlob(await exportText('svg', { view, target, options })), exportFileName(what, lastDay(), 'svg'));
    } else if (kind === 'png') {
      const png = await pngFromSvg(await exportText('svg', { view, target, options }));
      download(png, exportFileName(what, lastDay(), 'png'));
    }
  }

  async function exportReport() {
    const options = { ...viewOptions(), css: await pageCss() };
    const html = await exportText('html', { options });
    download(htmlBlob(html), exportFileName('report', lastDay(), 'html'));
  }

  function reportExportError(error) {
    showMessage('error', `${t(state.lang, 'status.export_failed')}${error?.message ?? error}`);
    recoverEngine(error);
  }

  return { exportTarget, exportReport, reportExportError };
}
