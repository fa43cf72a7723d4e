// The Funnel view's step picker: 2–8 steps, each a canonical step (view, cart …: every event name
// that means it) or one of the log's own event names, listed from the last funnel report. The picker
// only writes FunnelOptions.steps; the engine resolves the names and counts. DOM calls and text
// nodes only (event names are user data).

/** Canonical steps offered, in funnel order (DEFINITIONS §5). */
export const CANONICAL_STEPS = ['view', 'fav', 'cart', 'checkout', 'purchase'];
export const DEFAULT_STEPS = ['view', 'cart', 'purchase'];
export const MIN_STEPS = 2;
export const MAX_STEPS = 8;

/** A step as a `<select>` value: `step:view` for a canonical step, `name:home` for a name. */
export function stepValue(spec) {
  return typeof spec === 'string' ? `step:${spec}` : `name:${spec.join('\u001f')}`;
}

/** The FunnelOptions step of a `<select>` value (see stepValue). */
export function stepSpec(value) {
  return value.startsWith('step:') ? value.slice(5) : value.slice(5).split('\u001f');
}

/**
 * The first event name that the steps would put in two steps, or null: a name chosen twice, a
 * canonical step chosen twice, or a name that means a canonical step also chosen (the engine
 * refuses these with `event_name_in_two_steps` / `repeated_step`).
 */
export function conflictOf(steps, names) {
  const meaning = new Map(names.map((n) => [n.name, n.meaning]));
  const canonical = new Set();
  const named = new Set();
  for (const spec of steps) {
    if (typeof spec === 'string') {
      if (canonical.has(spec)) return spec;
      canonical.add(spec);
    } else {
      for (const name of spec) {
        if (named.has(name)) return name;
        named.add(name);
      }
    }
  }
  for (const name of named) {
    if (canonical.has(meaning.get(name))) return name;
  }
  return null;
}

/**
 * Draws the picker into `host` (replacing what was there).
 * `steps`: the steps in force; `names`: the report's `event_names`; `label(key)`: the engine's
 * text for `step.*` keys; `text(key, params)`: the page's strings; `onChange(steps)`: called with
 * valid new steps.
 */
export function renderStepPicker(host, { steps, names, label, text, onChange }) {
  host.replaceChildren();
  const title = document.createElement('span');
  title.className = 'control-label';
  title.id = 'funnel-steps-label';
  title.textContent = text('funnel.steps');
  const list = document.createElement('ol');
  list.className = 'step-picker';
  list.setAttribute('aria-labelledby', title.id);
  const error = document.createElement('p');
  error.className = 'steps-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;

  let current = steps.map((s) => (typeof s === 'string' ? s : s.slice()));
  const usedByMeaning = (code) => names.filter((n) => n.meaning === code).map((n) => n.name);

  const commit = (next) => {
    const conflict = conflictOf(next, names);
    current = next;
    draw();
    if (conflict !== null) {
      error.hidden = false;
      error.textContent = text('funnel.steps.conflict', { name: conflict });
      return;
    }
    onChange(next.map((s) => (typeof s === 'string' ? s : s.slice())));
  };

  const select = (spec, index) => {
    const el = document.createElement('select');
    el.dataset.stepIndex = String(index);
    el.setAttribute('aria-label', text('funnel.steps.step', { n: index + 1 }));
    const canonical = document.createElement('optgroup');
    canonical.label = text('funnel.steps.canonical');
    for (const code of CANONICAL_STEPS) {
      const option = document.createElement('option');
      option.value = stepValue(code);
      const members = usedByMeaning(code);
      const base = label(`step.${code}`) ?? code;
      option.textContent = members.length ? `${base} (${members.join(', ')})` : base;
      canonical.append(option);
    }
    const logNames = document.createElement('optgroup');
    logNames.label = text('funnel.steps.names');
    for (const n of names) {
      const option = document.createElement('option');
      option.value = stepValue([n.name]);
      option.textContent = `${n.name} · ${n.events.toLocaleString()}`;
      logNames.append(option);
    }
    el.append(canonical, logNames);
    // A step of several names (set through the API) keeps its own entry.
    const value = stepValue(spec);
    if (![...el.options].some((o) => o.value === value)) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = typeof spec === 'string' ? spec : spec.join(' / ');
      el.append(option);
    }
    el.value = value;
    el.addEventListener('change', () => {
      const next = current.slice();
      next[index] = stepSpec(el.value);
      commit(next);
    });
    return el;
  };

  const draw = () => {
    error.hidden = true;
    list.replaceChildren();
    current.forEach((spec, index) => {
      const item = document.createElement('li');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button small quiet step-remove';
      remove.textContent = '×';
      remove.dataset.stepRemove = String(index);
      remove.setAttribute('aria-label', text('funnel.steps.remove', { n: index + 1 }));
      remove.disabled = current.length <= MIN_STEPS;
      remove.addEventListener('click', () => commit(current.filter((_, i) => i !== index)));
      item.append(select(spec, index), remove);
      list.append(item);
    });
    add.disabled = current.length >= MAX_STEPS;
  };

  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'button small step-add';
  add.dataset.stepAdd = '';
  add.textContent = text('funnel.steps.add');
  add.addEventListener('click', () => {
    const taken = new Set(current.map(stepValue));
    const free =
      CANONICAL_STEPS.find((code) => !taken.has(stepValue(code)) && conflictOf([...current, code], names) === null) ??
      names.map((n) => [n.name]).find((spec) => conflictOf([...current, spec], names) === null);
    if (free) commit([...current, free]);
  });
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.className = 'button small quiet step-reset';
  reset.dataset.stepReset = '';
  reset.textContent = text('funnel.steps.reset');
  reset.addEventListener('click', () => commit(DEFAULT_STEPS.slice()));

  draw();
  const buttons = document.createElement('div');
  buttons.className = 'step-buttons';
  buttons.append(add, reset);
  host.append(title, list, buttons, error);
}
