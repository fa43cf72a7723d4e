// The page's mapping helpers (www/mapping.js) without a browser: edits of every kind of control
// become FileOptions, a mapping file round-trips and a wrong one says what is wrong, and header
// layouts compare as written.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fileOptionsOf,
  layoutOf,
  mappingFileOf,
  MappingEdits,
  mergeInto,
  parseMappingFile,
  sameLayout,
} from '../../www/mapping.js';

/** What MappingEdits reads of a <select>. */
const select = (dataset, value) => ({ dataset, value });

test('edits of kind, platform, columns, statuses and grain become FileOptions', () => {
  const edits = new MappingEdits();
  edits.record(select({ file: 'a.csv', override: 'kind' }, 'orders'));
  edits.record(select({ file: 'a.csv', override: 'column', header: 'foo' }, 'order_id'));
  edits.record(select({ file: 'a.csv', override: 'column', header: 'bar' }, ''));
  edits.record(select({ file: 'a.csv', override: 'status', value: '已关闭' }, 'cancelled'));
  edits.record(select({ file: 'a.csv', override: 'amount_grain' }, 'order'));
  edits.record(select({ file: 'b.csv', override: 'platform' }, ''));
  // Back to the report's own `unknown`: not a correction (the engine could not take it).
  edits.record(select({ file: 'a.csv', override: 'status', value: '待定' }, 'paid'));
  edits.record(select({ file: 'a.csv', override: 'status', value: '待定' }, 'unknown'));
  assert.equal(edits.count(), 6);
  assert.deepEqual(edits.files(), ['a.csv', 'b.csv']);
  const ingest = { 'a.csv': { columns: { qux: 'customer_id' }, statuses: { paid: 'paid' } } };
  edits.applyTo(ingest);
  assert.deepEqual(ingest, {
    'a.csv': {
      kind: 'orders',
      amount_grain: 'order',
      columns: { qux: 'customer_id', foo: 'order_id', bar: null },
      statuses: { paid: 'paid', 已关闭: 'cancelled' },
    },
    'b.csv': { platform: null },
  });
  assert.equal(edits.count(), 0, 'applied edits are forgotten');
  assert.deepEqual(mergeInto({ columns: { a: 'sku' } }, { columns: { b: 'title' } }), { columns: { a: 'sku', b: 'title' } });
});

const load = {
  file: 'x.csv',
  kind: 'orders',
  platform: 'shopify',
  header_line: 1,
  error: null,
  columns: [
    { index: 0, header: 'Name', field: 'order_id', duplicate_of: null },
    { index: 1, header: 'SKU', field: 'sku', duplicate_of: null },
    { index: 2, header: 'SKU 2', field: 'sku', duplicate_of: 1 },
    { index: 3, header: 'Notes', field: null, duplicate_of: null },
  ],
  status_values: [
    { value: 'voided', rows: 3, meaning: 'cancelled' },
    { value: 'odd', rows: 1, meaning: 'unknown' },
  ],
  decisions: { amount_grain: 'line', refund_grain: null, sample_rows: 4, multi_row_orders: 1 },
};

test('a mapping file holds the layout and the whole reading, and loads back', () => {
  const file = mappingFileOf(load);
  assert.deepEqual(file, {
    header: ['Name', 'SKU', 'SKU 2', 'Notes'],
    kind: 'orders',
    platform: 'shopify',
    columns: { Name: 'order_id', SKU: 'sku', 'SKU 2': null, Notes: null },
    statuses: { voided: 'cancelled' },
    amount_grain: 'line',
  });
  const { header, options } = parseMappingFile(JSON.stringify(file));
  assert.deepEqual(header, file.header);
  assert.deepEqual(options, {
    kind: 'orders',
    platform: 'shopify',
    columns: file.columns,
    statuses: file.statuses,
    amount_grain: 'line',
  });
  assert.ok(!('header' in options), 'FileOptions refuses unknown fields');
});

test('a file that is not a mapping says what is wrong', () => {
  assert.throws(() => parseMappingFile('{'), /not JSON/);
  assert.throws(() => parseMappingFile('{"kind": "orders"}'), /header/);
  assert.throws(() => parseMappingFile('{"header": ["a"], "colums": {}}'), /colums/);
  assert.throws(() => parseMappingFile('{"header": ["a"], "columns": []}'), /columns/);
});

test('only FileOptions keys are kept, empty maps dropped; layouts compare as written', () => {
  assert.deepEqual(fileOptionsOf({ header: ['a'], kind: null, columns: {}, statuses: { x: 'paid' }, other: 1 }), {
    kind: null,
    statuses: { x: 'paid' },
  });
  assert.deepEqual(layoutOf(load), ['Name', 'SKU', 'SKU 2', 'Notes']);
  assert.equal(layoutOf({ ...load, header_line: null }), null, 'a headerless log has no layout');
  assert.deepEqual(layoutOf({ ...load, header_line: null, error: { code: 'unrecognised_header' } }), ['Name', 'SKU', 'SKU 2', 'Notes']);
  assert.ok(sameLayout(['a', 'b'], ['a', 'b']));
  assert.ok(!sameLayout(['a', 'b'], ['b', 'a']));
  assert.ok(!sameLayout(['a'], null));
});
