// The shared filters (date range, platform, category, product). The choices come from a report
// computed without filters, so narrowing one filter never hides the other choices.

export const NO_FILTER = Object.freeze({ from: '', to: '', platform: '', category: '', product: '' });

export function isFilterActive(filter) {
  return Object.values(filter).some(Boolean);
}

/** The engine's `filter` option. */
export function filterOption(filter) {
  return {
    from: filter.from || null,
    to: filter.to || null,
    platforms: filter.platform ? [filter.platform] : [],
    categories: filter.category ? [filter.category] : [],
    products: filter.product ? [filter.product] : [],
  };
}

/** Filter choices of a report: its day range, platforms, categories and products. */
export function facetsOf(report) {
  const kpi = report.kpi.status === 'ready' ? report.kpi.data : null;
  const products = report.products.status === 'ready' ? report.products.data.products : [];
  const platforms = [...new Set(report.loads.map((load) => load.platform).filter(Boolean))];
  const categories = [...new Set(products.map((p) => p.category).filter(Boolean))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN'),
  );
  return {
    firstDay: kpi?.first_day ?? null,
    lastDay: kpi?.last_day ?? null,
    platforms,
    categories,
    products: products.map((p) => ({ key: p.key, title: p.title ?? p.key })),
  };
}

const EMPTY_FACETS = { firstDay: null, lastDay: null, platforms: [], categories: [], products: [] };

function fillSelect(select, allText, choices, current) {
  const all = document.createElement('option');
  all.value = '';
  all.textContent = allText;
  const options = [all];
  for (const { value, text } of choices) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    options.push(option);
  }
  select.replaceChildren(...options);
  select.value = current;
  select.disabled = choices.length === 0;
}

/**
 * Writes `filter` and the choices of `facets` into the form's controls. `allText` labels the
 * "no filter" choice; `platformName(code)` names a platform.
 */
export function showFilters(form, { facets, filter, allText, platformName }) {
  const f = facets ?? EMPTY_FACETS;
  const { from, to, platform, category, product } = form.elements;
  for (const input of [from, to]) {
    input.min = f.firstDay ?? '';
    input.max = f.lastDay ?? '';
  }
  from.value = filter.from;
  to.value = filter.to;
  fillSelect(platform, allText, f.platforms.map((p) => ({ value: p, text: platformName(p) })), filter.platform);
  fillSelect(category, allText, f.categories.map((c) => ({ value: c, text: c })), filter.category);
  fillSelect(
    product,
    allText,
    f.products.map((p) => ({ value: p.key, text: p.title === p.key ? p.key : `${p.title} · ${p.key}` })),
    filter.product,
  );
  const active = isFilterActive(filter);
  form.querySelector('[type="reset"]').disabled = !active;
  form.classList.toggle('active', active);
}

/** The filter the form's controls say. An inverted date range is read the way it was meant. */
export function readFilters(form) {
  const { from, to, platform, category, product } = form.elements;
  const [first, last] = from.value && to.value && from.value > to.value ? [to.value, from.value] : [from.value, to.value];
  return { from: first, to: last, platform: platform.value, category: category.value, product: product.value };
}
