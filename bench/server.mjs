// Static server for the benchmark page on 127.0.0.1. It serves only what the page needs, all from
// this machine (no CDN): the page (bench/page/), the engine build (www/pkg/) and the compared
// libraries from bench/node_modules (DuckDB-Wasm with its worker and .wasm, apache-arrow, PapaParse).
// The data files go to the page as <input type=file> paths, never through this server.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, sep } from 'node:path';
import { MIME_TYPES } from '../scripts/serve.mjs';

/** URL prefixes and the folders they map to, relative to the repository root. */
const MOUNTS = [
  ['/bench/page/', 'bench/page'],
  ['/bench/node_modules/', 'bench/node_modules'],
  ['/www/pkg/', 'www/pkg'],
  // The page's session layer (www/js/engine.js, from js/) and its part worker: the code the page runs.
  ['/www/', 'www'],
  // The build with function names, made by bench/profile.mjs (gitignored with the data).
  ['/bench/data/pkg-profile/', 'bench/data/pkg-profile'],
];

async function resolveFile(repoRoot, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname === '/') pathname = '/bench/page/index.html';
  const mount = MOUNTS.find(([prefix]) => pathname.startsWith(prefix));
  if (!mount || pathname.includes('\0')) return null;
  const root = await realpath(join(repoRoot, mount[1]));
  try {
    const file = await realpath(join(root, pathname.slice(mount[0].length)));
    if (!file.startsWith(root + sep)) return null;
    const info = await stat(file);
    return info.isFile() ? { file, size: info.size } : null;
  } catch {
    return null;
  }
}

/** Starts the server on an OS-chosen port; resolves to `{ url, close() }`. */
export async function startBenchServer(repoRoot) {
  const server = createServer(async (request, response) => {
    const found = await resolveFile(repoRoot, request.url);
    if (!found) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('404 Not Found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': found.size,
      'Cache-Control': 'no-store',
    });
    createReadStream(found.file)
      .on('error', () => response.destroy())
      .pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
