// The A/B tab's group choice (DEFINITIONS §9): two items, two periods or two experiment groups of
// the log's variant column, and the goal event. They
// are analysis options (`AnalyzeOptions.ab`): "Compare" analyses the files again.

/** The `ab` analysis option for the form's state, or null while no groups are chosen. */
export function abOption(ab) {
  if ((ab.by === 'item' || ab.by === 'variant') && ab.a && ab.b) {
    return { by: ab.by, a: ab.a, b: ab.b, ...(ab.goal ? { goal: ab.goal } : {}) };
  }
  if (ab.by === 'period' && ab.a_from && ab.a_to && ab.b_from && ab.b_to) {
    const { a_from, a_to, b_from, b_to } = ab;
    return { by: 'period', a_from, a_to, b_from, b_to, ...(ab.goal ? { goal: ab.goal } : {}) };
  }
  return null;
}

/**
 * Wires the A/B toolbar. `page` gives `state` (with `ab`), `$` and `runAnalysis()`. The item
 * inputs suggest the report's products (a datalist refreshed by `suggest(report)`).
 */
export function wireAbControls(page) {
  const { state, $, runAnalysis } = page;
  const form = $('ab-form');
  const showFields = () => {
    const by = form.elements.by.value;
    for (const el of form.querySelectorAll('[data-ab-by]')) el.hidden = !el.dataset.abBy.split(' ').includes(by);
  };
  let lastReport = null;
  form.addEventListener('change', (event) => {
    showFields();
    if (event.target === form.elements.by) fillList();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = form.elements;
    state.ab = {
      by: f.by.value,
      a: f.a.value.trim(),
      b: f.b.value.trim(),
      a_from: f.a_from.value,
      a_to: f.a_to.value,
      b_from: f.b_from.value,
      b_to: f.b_to.value,
      goal: f.goal.value.trim(),
    };
    runAnalysis();
  });
  showFields();
  /** The A/B inputs' suggestions: the log's experiment groups (by variant), else product keys. */
  function fillList() {
    const report = lastReport;
    const list = $('ab-items');
    const ab = report?.ab?.status === 'ready' ? report.ab.data : null;
    const rows = form.elements.by.value === 'variant'
      ? (ab?.variants ?? []).map((key) => ({ key }))
      : report?.products?.status === 'ready' ? report.products.data.products : [];
    list.replaceChildren(
      ...rows.slice(0, 500).map((p) => {
        const option = document.createElement('option');
        option.value = p.key;
        if (p.title) option.label = p.title;
        return option;
      }),
    );
  }
  /** Refresh the suggestions; groups the engine chose from the log's variant column fill the form. */
  function suggest(report) {
    lastReport = report;
    const ab = report?.ab?.status === 'ready' ? report.ab.data : null;
    if (ab?.by === 'variant' && !abOption(state.ab)) {
      form.elements.by.value = 'variant';
      form.elements.a.value = ab.a.label;
      form.elements.b.value = ab.b.label;
      showFields();
    }
    fillList();
  }
  return { suggest };
}
