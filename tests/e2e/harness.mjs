// Shared set-up for the browser tests: the static server, Debian's Chromium through
// playwright-core (no downloaded browser), and a page that records everything that would make a
// test suspicious: console errors, uncaught exceptions, dialogs (an XSS payload would open one),
// and every request, the worker's included, so a test can assert none left 127.0.0.1.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { chromiumPath } from '../../scripts/setup.mjs';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const expected = JSON.parse(await readFile(new URL('../fixtures/expected.json', import.meta.url), 'utf8'));

/**
 * Flags for a sandboxed CI machine with no outside network: without the background-networking
 * ones Chromium keeps opening connections that the network refuses. --no-sandbox because the
 * tests may run as root.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Starts the server and the browser; `close()` stops both. */
export async function startBrowser() {
  const server = await startServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
  await mkdir(artifactsDir, { recursive: true });
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A fresh context and page on the app, with its problems and requests recorded.
 * `locale` decides the page's first language (navigator.language).
 */
export async function openApp({ browser, server }, { locale = 'en-US', viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const dialogs = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  // Context-level, so the worker's requests are seen as well as the page's.
  context.on('request', (request) => requests.push(request.url()));
  await page.goto(server.url);
  await page.waitForFunction(() => !document.getElementById('try-sample').disabled, null, { timeout: 20_000 });
  return {
    context,
    page,
    problems,
    requests,
    dialogs,
    /** Asserts no error, no dialog and no request to another host happened. */
    assertClean() {
      assert.deepEqual(problems, [], 'console errors or uncaught exceptions');
      assert.deepEqual(dialogs, [], 'a dialog opened');
      const offHost = requests.filter((url) => !/^(blob|data):/.test(url) && new URL(url).hostname !== '127.0.0.1');
      assert.deepEqual(offHost, [], 'requests to hosts other than 127.0.0.1');
    },
  };
}

/** Waits until an analysis has finished and its report is on screen. */
export async function waitForReport(page) {
  await page.waitForSelector('#workspace:not([hidden])', { timeout: 30_000 });
  await page.waitForFunction(() => document.getElementById('progress').hidden && !document.body.classList.contains('busy'), null, {
    timeout: 60_000,
  });
}

/** Loads fixture files through the real file input. */
export async function pickFiles(page, names) {
  const input = (await page.locator('#workspace').isVisible()) ? '#add-input' : '#file-input';
  await page.setInputFiles(input, names.map((name) => `${fixturesDir}${name}`));
  await waitForReport(page);
}

/** Loads files by a synthetic drag and drop (a DataTransfer holding File objects) on the drop zone. */
export async function dropFiles(page, files) {
  const payload = files.map(({ name, bytes, type = 'text/csv' }) => ({ name, type, data: Array.from(bytes) }));
  const transfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, type, data } of items) dt.items.add(new File([new Uint8Array(data)], name, { type }));
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('#drop-zone', type, { dataTransfer: transfer });
  }
  await transfer.dispose();
}

/** Opens a tab and waits for its view to be drawn. */
export async function openView(page, view) {
  await page.click(`#tab-${view}`);
  await page.waitForSelector(`#panel-${view} .view-host > .view`);
}

/** The full-precision text of a KPI card (its `title`), e.g. `¥2,098.40`. */
export async function kpi(page, name) {
  return page.getAttribute(`#panel-overview [data-testid="kpi-${name}"]`, 'title');
}

/** Digits of a formatted number: `¥2,098.40` → 209840, `1,921` → 1921. */
export function digitsOf(text) {
  return Number(String(text).replace(/[^\d]/g, ''));
}

/** Saves a download started by `action` and returns its bytes and suggested name. */
export async function downloadOf(page, action) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), action()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

/** Parses CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
