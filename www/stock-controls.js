// The Stock tab's settings (DEFINITIONS §8): lead time, service level and review period are
// analysis options (`AnalyzeOptions.stock`), so a change analyses the files again; the SKU whose
// demand is drawn is a view option (`ViewOptions.stock_product`) and only redraws.

/** Defaults of `StockOptions` (crate/core/src/analysis/stock). */
export const DEFAULT_STOCK = { lead_time_days: 7, service_level: 0.95, review_days: 14 };

/** A finite number ≥ 0 from an input's text, else `fallback`. */
function nonNegative(text, fallback) {
  const value = Number(String(text).trim());
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Wires the Stock toolbar. `page` gives `state` (with `stock` and `view.stock_product`), `$`,
 * `runAnalysis()` and `redraw()`.
 */
export function wireStockControls(page) {
  const { state, $, runAnalysis, redraw } = page;
  const lead = $('stock-lead-time');
  const level = $('stock-service-level');
  const review = $('stock-review');
  const sync = () => {
    lead.value = String(state.stock.lead_time_days);
    level.value = String(state.stock.service_level);
    review.value = String(state.stock.review_days);
  };
  sync();
  const onChange = () => {
    state.stock = {
      lead_time_days: nonNegative(lead.value, DEFAULT_STOCK.lead_time_days),
      service_level: Number(level.value) || DEFAULT_STOCK.service_level,
      review_days: nonNegative(review.value, DEFAULT_STOCK.review_days),
    };
    sync();
    runAnalysis();
  };
  for (const input of [lead, level, review]) input.addEventListener('change', onChange);
  // A click on a purchase-list row draws that SKU's demand.
  $('panel-stock').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-testid^="stock-row-"]');
    if (!row) return;
    state.view.stock_product = row.dataset.testid.slice('stock-row-'.length);
    redraw();
  });
  return { sync };
}
