// The module script of page.html: file input → analyze → the overview view drawn into a div.
// With the package installed and a bundler, import from 'shoplens' instead of the relative path.

import { analyze, render } from '../js/index.js';

const input = document.querySelector('#files');
const status = document.querySelector('#status');
const overview = document.querySelector('#overview');

input.addEventListener('change', async () => {
  status.textContent = 'Analysing…';
  try {
    const files = [...input.files].map((file) => ({ name: file.name, data: file }));
    const report = await analyze(files);
    // interactive: false leaves out the page's export buttons and view controls, which need the
    // page's own script to act on them.
    await render(overview, report, 'overview', { lang: 'en', interactive: false });
    status.textContent = `Analysed ${report.loads.length} file(s).`;
  } catch (error) {
    status.textContent = `Failed (${error.code}): ${error.message}`;
  }
});
