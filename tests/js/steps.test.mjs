// The Funnel step picker's pure parts (www/steps.js): select values and the check that keeps an
// event name out of two steps before the engine is asked (it would refuse the funnel).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflictOf, stepSpec, stepValue } from '../../www/steps.js';

const NAMES = [
  { name: 'home', events: 5, users: 3, meaning: null, step: null },
  { name: 'product_view', events: 9, users: 4, meaning: 'view', step: 0 },
  { name: 'Page Viewed', events: 2, users: 2, meaning: null, step: null },
  { name: 'purchase', events: 1, users: 1, meaning: 'purchase', step: 2 },
];

test('a step round-trips through its select value', () => {
  for (const spec of ['view', 'checkout', ['home'], ['step:x'], ['a', 'b']]) {
    assert.deepEqual(stepSpec(stepValue(spec)), spec);
  }
  assert.equal(stepValue('view'), 'step:view');
  assert.equal(stepValue(['home']), 'name:home');
});

test('a name in two steps, or a step twice, is a conflict', () => {
  assert.equal(conflictOf(['view', 'cart', 'purchase'], NAMES), null);
  assert.equal(conflictOf([['home'], ['product_view'], 'purchase'], NAMES), null);
  // A page view is not the view step in a log with product views: no conflict.
  assert.equal(conflictOf([['Page Viewed'], 'view'], NAMES), null);
  assert.equal(conflictOf([['home'], ['home']], NAMES), 'home');
  assert.equal(conflictOf(['view', 'view'], NAMES), 'view');
  assert.equal(conflictOf(['view', ['product_view']], NAMES), 'product_view');
  assert.equal(conflictOf([['purchase'], 'cart', 'purchase'], NAMES), 'purchase');
});
