// Currencies on the page: the currency switch and exchange-rate form above the Overview (when the
// orders are in several currencies), and each file's currency on the Data tab. Each change is an
// analysis option (`currency`, `rates`, `FileOptions.currency`), so the files are analysed again;
// no amount is converted here (the engine converts per order, see crate/core/src/currency).

/** Currencies offered for a file whose currency the user sets. */
export const CURRENCY_CHOICES = ['CNY', 'USD', 'EUR', 'GBP', 'JPY', 'HKD', 'TWD', 'KRW', 'CAD', 'AUD', 'SGD'];

/** Fresh currency state: the chosen currency (null: the engine's default) and the rates by pair. */
export function noCurrencyChoice() {
  return { code: null, rates: {} };
}

/** The engine's `currency` and `rates` options. */
export function currencyOptions(choice) {
  return { currency: choice.code, rates: { ...choice.rates } };
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** The rate pair shown for `other` → `target`: the one the user gave (either way), else other/target. */
function pairFor(rates, other, target) {
  if (rates[`${other}/${target}`] !== undefined) return `${other}/${target}`;
  if (rates[`${target}/${other}`] !== undefined) return `${target}/${other}`;
  return `${other}/${target}`;
}

/**
 * The controls over `state.currency` and `state.ingest[file].currency`. `page` gives `state`, `$`,
 * `t(lang, key, params)`, `engineLabel(key)`, `runAnalysis()` and `showMessage(kind, text)`.
 */
export function createCurrencyControls(page) {
  const { state, $, t, engineLabel, runAnalysis, showMessage } = page;
  const basis = (code) => engineLabel(`currency.basis.${code}`) ?? code;
  const text = (key, params) => t(state.lang, key, params);

  /** The switch and rates form above the Overview; hidden while the orders are in one currency. */
  function renderSwitch() {
    const form = $('currency-controls');
    const report = state.report;
    const known = (report?.currencies ?? []).filter((g) => g.code);
    const several = known.length > 1 || report?.currency_mode === 'converted';
    form.hidden = !several;
    if (!several) {
      form.replaceChildren();
      return;
    }
    const target = report.currency;
    const select = element('select', { name: 'currency', id: 'currency-choice', dataset: { testid: 'currency-choice' } });
    for (const g of known) {
      const option = element('option', { value: g.code }, text('currency.option', { code: g.code, orders: g.orders }));
      select.append(option);
    }
    if (!known.some((g) => g.code === target) && target) select.append(element('option', { value: target }, target));
    select.value = target;
    const choose = element(
      'div',
      { className: 'control' },
      element('label', { className: 'control-label', htmlFor: 'currency-choice' }, text('currency.switch')),
      select,
    );
    const rates = element('fieldset', { className: 'control currency-rates', dataset: { testid: 'currency-rates' } });
    rates.append(element('legend', { className: 'control-label' }, text('currency.rates')));
    for (const g of known.filter((g) => g.code !== target)) {
      const pair = pairFor(state.currency.rates, g.code, target);
      const [from, to] = pair.split('/');
      const input = element('input', {
        type: 'text',
        inputMode: 'decimal',
        name: 'rate',
        size: 8,
        value: state.currency.rates[pair] ?? '',
        placeholder: '0.00',
        dataset: { pair, testid: `rate-${pair}` },
        'aria-label': text('currency.rate_label', { from, to }),
      });
      rates.append(element('label', { className: 'rate' }, `1 ${from} = `, input, ` ${to}`));
    }
    const convert = element('button', { type: 'submit', className: 'button small primary' }, text('currency.convert'));
    const clear = element(
      'button',
      { type: 'reset', className: 'button small quiet', disabled: Object.keys(state.currency.rates).length === 0 },
      text('currency.no_convert'),
    );
    rates.append(convert, clear);
    form.replaceChildren(choose, rates);
  }

  /** Each money file's currency on the Data tab, with a choice to set it. */
  function renderFiles() {
    const box = $('file-currencies');
    const loads = (state.report?.loads ?? []).filter((l) => l.currency_basis);
    box.hidden = loads.length === 0;
    if (!loads.length) {
      box.replaceChildren();
      return;
    }
    const rows = loads.map((load) => {
      const set = state.ingest[load.file]?.currency ?? '';
      const select = element('select', {
        name: 'file-currency',
        dataset: { file: load.file, testid: 'file-currency' },
        'aria-label': text('currency.file_label', { name: load.file }),
      });
      select.append(element('option', { value: '' }, text('currency.file_auto')));
      const codes = new Set([...CURRENCY_CHOICES, ...(set ? [set] : [])]);
      for (const code of codes) select.append(element('option', { value: code }, code));
      select.value = set;
      const found = load.currency
        ? `${load.currency} · ${basis(load.currency_basis)}`
        : basis(load.currency_basis);
      const row = element(
        'li',
        { className: load.currency ? 'file-currency' : 'file-currency unknown' },
        element('span', { className: 'file-name' }, load.file),
        element('span', { className: 'found' }, found),
        select,
      );
      return row;
    });
    box.replaceChildren(
      element('span', { className: 'control-label' }, text('currency.files')),
      element('ul', {}, ...rows),
    );
  }

  function render() {
    renderSwitch();
    renderFiles();
  }

  /** Reads the rates form; false (with a message) when a rate is not a positive number. */
  function readRates(form) {
    const rates = {};
    for (const input of form.querySelectorAll('input[name="rate"]')) {
      const raw = input.value.trim().replace(',', '.');
      if (!raw) continue;
      const value = Number(raw);
      if (!(Number.isFinite(value) && value > 0)) {
        showMessage('error', text('currency.bad_rate', { pair: input.dataset.pair, value: input.value }));
        return null;
      }
      rates[input.dataset.pair] = value;
    }
    return rates;
  }

  function wire() {
    const form = $('currency-controls');
    form.addEventListener('change', (event) => {
      if (event.target.name !== 'currency') return;
      state.currency.code = event.target.value || null;
      runAnalysis();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const rates = readRates(form);
      if (!rates) return;
      state.currency.rates = rates;
      runAnalysis();
    });
    form.addEventListener('reset', (event) => {
      event.preventDefault();
      state.currency.rates = {};
      runAnalysis();
    });
    $('file-currencies').addEventListener('change', (event) => {
      const select = event.target.closest('select[name="file-currency"]');
      if (!select) return;
      const file = select.dataset.file;
      const options = (state.ingest[file] ??= {});
      if (select.value) options.currency = select.value;
      else delete options.currency;
      if (Object.keys(options).length === 0) delete state.ingest[file];
      state.currency = { ...state.currency, code: null };
      runAnalysis();
    });
  }

  return { render, wire };
}
