// Typed calls of a browser user against the shipped declarations (compiled with the DOM library by
// tests/pkg/pack.test.mjs; not run: the page example runs the same calls in Chromium).

import { analyze, exportHtml, render, type ViewName, type ViewOptions } from 'shoplens';

export async function show(input: HTMLInputElement, into: HTMLElement, signal: AbortSignal): Promise<string> {
  const files = [...(input.files ?? [])].map((file) => ({ name: file.name, data: file }));
  const streamed = { name: 'stream.csv', data: new Blob(['订单编号\n']).stream() };
  const report = await analyze([...files, streamed], undefined, { signal });
  const view: ViewName = 'overview';
  const options: ViewOptions = { lang: 'en', cohort_metric: 'revenue', sort: { column: 'revenue', descending: true } };
  await render(into, report, view, options);
  // @ts-expect-error not a view
  await render(into, report, 'charts');
  // @ts-expect-error not a language
  await render(into, report, view, { lang: 'fr' });
  return exportHtml(report, { ...options, css: 'body { margin: 0 }' });
}
