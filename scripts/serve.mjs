// Static file server for www/ on 127.0.0.1, with the page's security headers. No dependencies.
//
//   node scripts/serve.mjs        port 8080, or the next free one up to 8099
//   PORT=9000 node scripts/serve.mjs   exactly that port (fails if it is taken)
//
// The tests import `startServer` and pass `port: 0` for an OS-chosen free port.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { isMainModule, repoRoot } from './proc.mjs';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 8080;
/** How many ports after DEFAULT_PORT to try when it is taken. */
const PORT_ATTEMPTS = 20;

/**
 * The page's Content-Security-Policy; www/index.html repeats it in a <meta> tag for hosts that
 * cannot set headers. The page never talks to another host: user files are read locally.
 * - connect-src 'self': only to fetch the engine's .wasm and the bundled sample data.
 * - script-src 'wasm-unsafe-eval': lets the page compile WebAssembly without allowing eval().
 * - img-src data: blob:: images the page generates itself (chart exports).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Content types by file extension; anything else is served as opaque bytes. */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // required by WebAssembly.instantiateStreaming
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // A development server: always serve the latest build, never a cached .wasm.
  'Cache-Control': 'no-store',
};

function sendError(response, status, message) {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${status} ${message}\n`);
}

/**
 * Maps a request path to a file inside `root`, or returns null when it names nothing there
 * (malformed escapes, NUL bytes, `..` or a symlink leading outside `root`).
 */
async function resolveFile(root, requestUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  // The URL parser already folded `/../`, but not `%2e%2e%2f`, decoded only just now.
  const candidate = resolve(root, `.${pathname}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  try {
    let file = await realpath(candidate);
    if (file !== root && !file.startsWith(root + sep)) return null;
    if ((await stat(file)).isDirectory()) file = await realpath(join(file, 'index.html'));
    if (!file.startsWith(root + sep)) return null;
    const info = await stat(file);
    return info.isFile() ? { file, size: info.size } : null;
  } catch {
    return null;
  }
}

/** PORT from the environment as a number, undefined when unset; throws when it is not a port. */
function portFromEnvironment() {
  const text = process.env.PORT;
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT=${text} is not a port number (0-65535)`);
  }
  return port;
}

function listen(server, port) {
  return new Promise((resolvePort, reject) => {
    const onError = (error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolvePort(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/**
 * Serves `root` (default www/) on 127.0.0.1. With `port` given (0 for any free one) it uses
 * exactly that; without, PORT from the environment, else 8080 or the next free port.
 * Resolves to `{ url, port, close() }` once it listens.
 */
export async function startServer({ port, root = join(repoRoot, 'www') } = {}) {
  const realRoot = await realpath(root);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendError(response, 405, 'Method Not Allowed');
      return;
    }
    const found = await resolveFile(realRoot, request.url);
    if (!found) {
      sendError(response, 404, 'Not Found');
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': found.size,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => response.destroy())
      .pipe(response);
  });

  const fixedPort = port ?? portFromEnvironment();
  let boundPort;
  if (fixedPort !== undefined) {
    boundPort = await listen(server, fixedPort);
  } else {
    for (let attempt = 0; boundPort === undefined; attempt++) {
      try {
        boundPort = await listen(server, DEFAULT_PORT + attempt);
      } catch (error) {
        if (error.code !== 'EADDRINUSE' || attempt + 1 >= PORT_ATTEMPTS) throw error;
      }
    }
  }
  return {
    url: `http://${HOST}:${boundPort}/`,
    port: boundPort,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

if (isMainModule(import.meta.url)) {
  try {
    const { url, close } = await startServer();
    console.log(`[shoplens] serving www/ at ${url}  (Ctrl+C to stop)`);
    const stop = async () => {
      await close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    console.error(`[shoplens] could not start the server: ${error.message}`);
    process.exit(1);
  }
}
