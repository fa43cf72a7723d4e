// The Data tab's wiring: the mapping bar (pending edits, apply, discard), remembered mappings
// (applied on load, confirmed roles, forgotten, saved to and loaded from a file), opening a file's
// mapping from the banner, and the banner itself. The edits and the remembered-mapping storage are
// in mapping.js; the controls and the banner are drawn by the engine. Nothing here reads the page's
// state except through `page` (see createDataTab).

import { download } from './exports.js';
import {
  fileOptionsOf,
  forgetMapping,
  layoutOf,
  mappingFileOf,
  mergeInto,
  parseMappingFile,
  rememberMapping,
  sameLayout,
  savedMapping,
} from './mapping.js';

/**
 * The Data tab over the page's `state` (ingest, savedMappings, pending, report, lang). `page`
 * gives it `$` (element by id), `t(lang, key, params)`, `showMessage(kind, text)`, `runAnalysis()`
 * (stream the files again with the current options), `drawView(view)`, `selectTab(view)`,
 * `hostOf(view)`, `loadsView()` (the report's load reports in this thread's engine), `viewOptions()`
 * and `recoverEngine(error)`.
 */
export function createDataTab(page) {
  const { state, $, t, showMessage, runAnalysis, drawView, selectTab, hostOf, loadsView, viewOptions, recoverEngine } =
    page;

  // ── column mapping (Data view) ───────────────────────────────────────────────────────────────

  function updateMappingBar() {
    const count = state.pending.count();
    const pending = $('mapping-pending');
    pending.hidden = count === 0;
    pending.textContent = t(state.lang, 'mapping.pending', { count });
    $('mapping-apply').disabled = count === 0;
    $('mapping-discard').disabled = count === 0;
  }

  function applyMapping() {
    const files = state.pending.files();
    state.pending.applyTo(state.ingest);
    for (const file of files) remember(file);
    updateMappingBar();
    runAnalysis();
  }

  /** The load report of `file` in the report on screen. */
  function loadOf(file) {
    return state.report?.loads.find((load) => load.file === file) ?? null;
  }

  /** Remembers the applied corrections of `file` for its header layout. */
  function remember(file) {
    const layout = layoutOf(loadOf(file));
    if (layout && state.ingest[file] && rememberMapping(layout, state.ingest[file])) {
      state.savedMappings[file] = 'remembered';
    }
  }

  /**
   * Gives each file without corrections the mapping remembered for its header layout. True when
   * one was applied (the files must be read again).
   */
  function applySavedMappings(report) {
    let applied = false;
    for (const load of report.loads) {
      // Any load, a workbook's sheets (`{file}#{sheet}`, each with its own header) included.
      if (state.ingest[load.file]) continue;
      const saved = savedMapping(layoutOf(load));
      if (!saved || !Object.keys(saved).length) continue;
      state.ingest[load.file] = saved;
      state.savedMappings[load.file] = 'applied';
      applied = true;
    }
    return applied;
  }

  /** Confirms guessed roles: an override with the same role, applied and remembered. */
  function confirmRoles(file, buttons) {
    const columns = {};
    for (const button of buttons) columns[button.dataset.header] = button.dataset.value;
    if (!Object.keys(columns).length) return;
    mergeInto((state.ingest[file] ??= {}), { columns });
    remember(file);
    runAnalysis();
  }

  /** Forgets the remembered mapping of `file` and reads it again as detected. */
  function forgetSavedMapping(file) {
    forgetMapping(layoutOf(loadOf(file)));
    delete state.ingest[file];
    delete state.savedMappings[file];
    state.pending.forget(file);
    updateMappingBar();
    runAnalysis();
  }

  function downloadMapping(file) {
    const load = loadOf(file);
    if (!load) return;
    const json = `${JSON.stringify(mappingFileOf(load), null, 2)}\n`;
    const base = file.replace(/^.*[\\/#]/, '').replace(/\.[^.]*$/, '') || 'file';
    download(new Blob([json], { type: 'application/json' }), `shoplens-mapping-${base}.json`);
  }

  /**
   * A mapping file chosen on the Data tab: remembered for its header layout, and applied to the
   * loaded files with that layout.
   */
  async function loadMappingFile(blob) {
    let parsed;
    try {
      parsed = parseMappingFile(await blob.text());
    } catch (error) {
      showMessage('error', t(state.lang, 'mapping.file_invalid', { name: blob.name, why: error.message }));
      return;
    }
    const { header, options } = parsed;
    rememberMapping(header, options);
    const matching = (state.report?.loads ?? []).filter((load) => sameLayout(layoutOf(load), header));
    if (!matching.length) {
      showMessage('info', t(state.lang, 'mapping.file_kept', { name: blob.name }));
      return;
    }
    for (const load of matching) {
      state.ingest[load.file] = fileOptionsOf(options);
      state.savedMappings[load.file] = 'applied';
      state.pending.forget(load.file);
    }
    updateMappingBar();
    runAnalysis();
  }

  /** Opens the Data tab at file `index`'s mapping, on the control the banner's cause points to (`header`: a column). */
  async function openMapping(index, focus, header) {
    await selectTab('loads');
    const panel = hostOf('loads').querySelector(`[data-testid="load-${index}"]`);
    if (!panel) return;
    const details = panel.querySelector('details.mapping-details');
    if (details) details.open = true;
    let target = null;
    if (focus === 'kind') target = panel.querySelector('select[data-override="kind"]');
    else if (focus === 'statuses') target = panel.querySelector('select[data-override="status"]');
    else {
      // The column a rejection names, else the first column without a role.
      const roles = Array.from(panel.querySelectorAll('select[data-override="column"]'));
      target = roles.find((select) => header && select.dataset.header === header) ?? roles.find((select) => select.value === '') ?? roles[0] ?? null;
    }
    panel.scrollIntoView({ block: 'start' });
    (target ?? panel).focus?.({ preventScroll: true });
    panel.classList.remove('flash');
    void panel.offsetWidth; // restart the highlight
    panel.classList.add('flash');
  }

  // ── banner ───────────────────────────────────────────────────────────────────────────────────

  /** The one real cause when a file gave the views nothing (drawn by the engine), above the views. */
  function renderBanner() {
    const host = $('blocker');
    if (!state.report) {
      host.replaceChildren();
      host.hidden = true;
      return;
    }
    try {
      host.hidden = !loadsView().renderBanner(host, viewOptions());
    } catch (error) {
      host.replaceChildren();
      host.hidden = true;
      recoverEngine(error);
    }
  }

  // ── wiring ───────────────────────────────────────────────────────────────────────────────────

  /**
   * The Data tab's part of the workspace's click handler: the banner's "map this file" buttons,
   * confirming guessed roles, forgetting or saving a remembered mapping. True when `target` was
   * one of these (the click is handled).
   */
  function onWorkspaceClick(target) {
    const open = target.closest('button[data-open-mapping]');
    if (open) {
      openMapping(open.dataset.openMapping, open.dataset.focus, open.dataset.header);
      return true;
    }

    const confirm = target.closest('button[data-confirm]');
    if (confirm) {
      const file = confirm.dataset.file;
      const buttons =
        confirm.dataset.confirm === 'all'
          ? Array.from(hostOf('loads').querySelectorAll('button[data-confirm="column"]')).filter((b) => b.dataset.file === file)
          : [confirm];
      confirmRoles(file, buttons);
      return true;
    }

    const mappingAction = target.closest('button[data-mapping-action]');
    if (mappingAction) {
      const file = mappingAction.dataset.file;
      if (mappingAction.dataset.mappingAction === 'forget') forgetSavedMapping(file);
      else if (mappingAction.dataset.mappingAction === 'save') downloadMapping(file);
      else if (mappingAction.dataset.mappingAction === 'literal-quotes') {
        // A stray quote: read the file again with `"` as an ordinary character (FileOptions.quotes).
        (state.ingest[file] ??= {}).quotes = 'literal';
        remember(file);
        runAnalysis();
      }
      return true;
    }
    return false;
  }

  /** The mapping controls' listeners: an override changed, apply, a mapping file, discard. */
  function wire() {
    $('workspace').addEventListener('change', (event) => {
      if (event.target instanceof HTMLSelectElement && event.target.dataset.override) {
        state.pending.record(event.target);
        updateMappingBar();
      }
    });
    $('mapping-apply').addEventListener('click', applyMapping);
    $('mapping-file-input').addEventListener('change', (event) => {
      const [file] = event.target.files ?? [];
      event.target.value = '';
      if (file) loadMappingFile(file);
    });
    $('mapping-discard').addEventListener('click', () => {
      state.pending.clear();
      updateMappingBar();
      state.drawn.delete('loads');
      drawView('loads');
    });
  }

  return { updateMappingBar, loadOf, applySavedMappings, renderBanner, onWorkspaceClick, wire };
}
