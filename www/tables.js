// Sorting the engine's data tables. Each header with data-sort says how to compare its column;
// each cell's data-sort-value holds the raw value (cents as an amount, ratios as fractions), so
// sorting never parses formatted text such as ¥1.2万.

/**
 * Sorts a table's rows in the page by the clicked header's column. First click: numbers largest
 * first, text A→Z; then alternate. Blank values go last either way.
 */
export function sortTableInPlace(th, lang) {
  const body = th.closest('table')?.tBodies[0];
  if (!body) return;
  const index = Array.from(th.parentElement.children).indexOf(th);
  const numeric = th.dataset.sort === 'number';
  const was = th.getAttribute('aria-sort');
  const descending = was ? was === 'ascending' : numeric;
  const key = (row) => {
    const cell = row.cells[index];
    const raw = cell?.dataset.sortValue ?? cell?.textContent ?? '';
    if (!numeric) return raw;
    return raw === '' ? null : Number(raw);
  };
  const collator = new Intl.Collator(lang);
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = numeric ? x - y : collator.compare(x, y);
    return descending ? -order : order;
  });
  body.append(...rows);
  for (const other of th.parentElement.children) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
}

/**
 * The products table is sorted by the engine (the page may show only its top rows): mark the
 * column of `sort` ({ column, descending }, or null for the default, revenue largest first).
 */
export function markSortedColumn(host, sort) {
  for (const th of host.querySelectorAll('#table-products th[data-sort]')) {
    const sorted = sort ? th.dataset.key === sort.column : th.dataset.key === 'revenue';
    if (sorted) th.setAttribute('aria-sort', sort && !sort.descending ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

/** The next engine sort after a click on products header `th`, given the current one. */
export function nextProductSort(th, current) {
  const column = th.dataset.key;
  const now = current ?? { column: 'revenue', descending: true };
  if (now.column === column) return { column, descending: !now.descending };
  return { column, descending: th.dataset.sort === 'number' };
}
