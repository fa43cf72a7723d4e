// The development server (scripts/serve.mjs): content types, security headers, and that no
// request path reaches a file outside the served folder.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CONTENT_SECURITY_POLICY, startServer } from '../../scripts/serve.mjs';

let dir;
let server;

before(async () => {
  // <dir>/secret.txt sits next to the served folder <dir>/www, so it must stay unreachable.
  dir = await mkdtemp(join(tmpdir(), 'shoplens-serve-'));
  const www = join(dir, 'www');
  await mkdir(join(www, 'pkg'), { recursive: true });
  await writeFile(join(dir, 'secret.txt'), 'outside');
  await writeFile(join(www, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(www, 'pkg', 'engine.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(www, 'sample.csv'), '订单编号,实付款(元)\n1,12.50\n');
  await writeFile(join(www, 'module.mjs'), 'export {};');
  await symlink(join(dir, 'secret.txt'), join(www, 'link-out.txt'));
  server = await startServer({ port: 0, root: www });
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sends a request with the path exactly as given (no client-side normalisation). */
function get(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('listens on 127.0.0.1 and reports its URL', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(server.port > 0);
});

test('serves index.html for / with the CSP and nosniff headers', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.body.toString(), /<title>t<\/title>/);
});

test('content types: wasm, mjs, csv', async () => {
  const wasm = await get('/pkg/engine.wasm');
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.headers['content-length'], '8');
  assert.equal((await get('/module.mjs')).headers['content-type'], 'text/javascript; charset=utf-8');
  const csv = await get('/sample.csv');
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(csv.body.toString('utf8'), '订单编号,实付款(元)\n1,12.50\n');
});

test('HEAD sends headers only; other methods are refused', async () => {
  const head = await get('/sample.csv', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  const post = await get('/', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('paths escaping the root are not served', async () => {
  for (const path of [
    '/../secret.txt',
    '/pkg/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/pkg/..%2f..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/link-out.txt', // a symlink pointing outside
    '/index.html%00.png',
    '/%E0%A4%A', // malformed escape
    '/missing.txt',
  ]) {
    const res = await get(path);
    assert.equal(res.status, 404, `${path} answered ${res.status}`);
    assert.doesNotMatch(res.body.toString(), /outside/, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
  }
});
