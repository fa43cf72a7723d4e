// The page's own analysis controls in the views' toolbars: funnel mode and window, cohort period,
// and the funnel step picker (steps.js draws it). Each change is an analysis option, so the files
// are streamed again; the view options (grain, metric, segment, sort) only redraw and stay in
// main.js.

import { DEFAULT_STEPS, renderStepPicker } from './steps.js';

/**
 * The controls over the page's `state` (funnel, cohortGrain, eventNames, report, lang). `page`
 * gives `$` (element by id), `t(lang, key, params)`, `engineLabel(key)`, `runAnalysis()` and
 * `viewHasData(view)`.
 */
export function createAnalysisControls(page) {
  const { state, $, t, engineLabel, runAnalysis, viewHasData } = page;

  /** Pressed states of the page's own analysis controls (funnel mode/window, cohort period). */
  function syncToolbars() {
    const current = {
      funnel_mode: state.funnel.mode,
      funnel_window: state.funnel.window_seconds === null ? 'none' : String(state.funnel.window_seconds),
      cohort_grain: state.cohortGrain,
    };
    for (const button of document.querySelectorAll('button[data-analysis]')) {
      // The promotion pickers are drawn by the engine with their pressed state: left alone.
      if (!(button.dataset.analysis in current)) continue;
      button.setAttribute('aria-pressed', String(current[button.dataset.analysis] === button.dataset.value));
    }
    const funnel = state.report?.funnel;
    const windowApplies = state.funnel.mode === 'sequential' && funnel?.data?.source !== 'traffic_aggregate';
    $('funnel-window-control').hidden = !windowApplies;
    for (const view of ['funnel', 'cohorts', 'products']) {
      // The funnel's controls stay while its steps can be changed (steps the engine refused).
      const keep = view === 'funnel' && state.eventNames.length > 0;
      $(`panel-${view}`).querySelector('.view-toolbar').hidden = !viewHasData(view) && !keep;
    }
    $('funnel-steps-control').hidden = state.eventNames.length === 0;
  }

  /** The step picker, fed by the log's event names; a change analyses again. */
  function renderSteps() {
    renderStepPicker($('funnel-steps-control'), {
      steps: state.funnel.steps ?? DEFAULT_STEPS,
      names: state.eventNames,
      label: engineLabel,
      text: (key, params) => t(state.lang, key, params),
      onChange: (steps) => {
        state.funnel.steps = steps;
        runAnalysis();
      },
    });
  }

  /**
   * The workspace's click on a funnel mode, funnel window or cohort period button: the option
   * changes and the files are analysed again. True when `target` was one (the click is handled).
   */
  function onWorkspaceClick(target) {
    const analysisControl = target.closest('button[data-analysis]');
    if (!analysisControl) return false;
    const value = analysisControl.dataset.value;
    if (analysisControl.dataset.analysis === 'funnel_mode') state.funnel.mode = value;
    else if (analysisControl.dataset.analysis === 'funnel_window') {
      state.funnel.window_seconds = value === 'none' ? null : Number(value);
    } else if (analysisControl.dataset.analysis === 'cohort_grain') state.cohortGrain = value;
    else if (analysisControl.dataset.analysis === 'promotion_campaign') {
      const [from, to] = value.split('/');
      state.promotion = { ...state.promotion, campaign: { from, to } };
    } else if (analysisControl.dataset.analysis === 'promotion_baseline') {
      state.promotion = { ...state.promotion, baseline: value };
    }
    syncToolbars();
    runAnalysis();
    return true;
  }

  /**
   * The promotion view's custom dates (a form the engine draws): campaign from/to, and a baseline
   * window when both of its dates are given (else the baseline rule stays). Analyses again.
   */
  function onWorkspaceSubmit(event) {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!form?.classList.contains('promotion-custom')) return;
    event.preventDefault();
    const value = (name) => form.elements.namedItem(name)?.value ?? '';
    const promotion = { ...state.promotion };
    if (value('from') && value('to')) promotion.campaign = { from: value('from'), to: value('to') };
    if (value('baseline_from') && value('baseline_to')) {
      promotion.baseline = { from: value('baseline_from'), to: value('baseline_to') };
    } else if (typeof promotion.baseline === 'object') delete promotion.baseline;
    state.promotion = promotion;
    runAnalysis();
  }

  return { syncToolbars, renderSteps, onWorkspaceClick, onWorkspaceSubmit };
}
