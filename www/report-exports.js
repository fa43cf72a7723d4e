// The export buttons: a table as CSV, a chart as SVG or PNG, the whole report as one HTML file.
// The engine writes the text (this thread's instance, with the view options on screen); exports.js
// makes the blobs and the downloads.

import { csvBlob, download, exportFileName, htmlBlob, pngFromSvg, svgBlob } from './exports.js';

/**
 * The exports of the report on screen, over the page's `state` (report, facets, css, lang). `page`
 * gives `mainEngine` (this thread's engine, a promise), `t(lang, key, params)`, `reportView()`,
 * `viewOptions()`, `showMessage(kind, text)` and `recoverEngine(error)`.
 */
export function createReportExports(page) {
  const { state, mainEngine, t, reportView, viewOptions, showMessage, recoverEngine } = page;

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
    await mainEngine;
    const what = target.replace(/^(table|chart)-/, '');
    if (kind === 'csv') {
      download(csvBlob(reportView().exportCsv(target, viewOptions())), exportFileName(what, lastDay(), 'csv'));
    } else if (kind === 'svg') {
      download(svgBlob(reportView().exportSvg(view, target, viewOptions())), exportFileName(what, lastDay(), 'svg'));
    } else if (kind === 'png') {
      const png = await pngFromSvg(reportView().exportSvg(view, target, viewOptions()));
      download(png, exportFileName(what, lastDay(), 'png'));
    }
  }

  async function exportReport() {
    await mainEngine;
    const html = reportView().exportHtml({ ...viewOptions(), css: await pageCss() });
    download(htmlBlob(html), exportFileName('report', lastDay(), 'html'));
  }

  function reportExportError(error) {
    showMessage('error', `${t(state.lang, 'status.export_failed')}${error?.message ?? error}`);
    recoverEngine(error);
  }

  return { exportTarget, exportReport, reportExportError };
}
