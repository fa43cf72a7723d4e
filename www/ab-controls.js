// The A/B tab's group choice (DEFINITIONS §9): two items or two periods, and the goal event. They
// are analysis options (`AnalyzeOptions.ab`): "Compare" analyses the files again.

/** The `ab` analysis option for the form's state, or null while no groups are chosen. */
export function abOption(ab) {
  if (ab.by === 'item' && ab.a && ab.b) return { by: 'item', a: ab.a, b: ab.b, ...(ab.goal ? { goal: ab.goal } : {}) };
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
    for (const el of form.querySelectorAll('[data-ab-by]')) el.hidden = el.dataset.abBy !== by;
  };
  form.addEventListener('change', showFields);
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
  /** Item suggestions: product keys of the report (products, else stock rows). */
  function suggest(report) {
    const list = $('ab-items');
    const rows = report?.products?.status === 'ready' ? report.products.data.products : [];
    list.replaceChildren(
      ...rows.slice(0, 500).map((p) => {
        const option = document.createElement('option');
        option.value = p.key;
        if (p.title) option.label = p.title;
        return option;
      }),
    );
  }
  return { suggest };
}
