import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createServer, MAX_NAME_LENGTH } from '../src/server.ts';

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { status: res.status, body: await res.json() };
}

describe('createServer', () => {
  let ready = true;
  const server = createServer({ isReady: () => ready });
  let base = '';
  before(async () => {
    base = await listen(server);
  });
  after(() => {
    server.close();
  });

  it('answers /healthz with status ok', async () => {
    assert.deepEqual(await getJson(`${base}/healthz`), { status: 200, body: { status: 'ok' } });
  });

  it('reports readiness from isReady', async () => {
    assert.equal((await getJson(`${base}/readyz`)).status, 200);
    ready = false;
    assert.deepEqual(await getJson(`${base}/readyz`), { status: 503, body: { status: 'draining' } });
    ready = true;
  });

  it('greets the world without a name and the caller with one', async () => {
    assert.deepEqual((await getJson(`${base}/hello`)).body, { message: 'Hello, world!' });
    assert.deepEqual((await getJson(`${base}/hello?name=%20Zo%C3%AB%20`)).body, { message: 'Hello, Zoë!' });
  });

  it('rejects names that are empty, too long or contain markup', async () => {
    for (const name of ['', ' ', 'x'.repeat(MAX_NAME_LENGTH + 1), '<script>', 'a\u0000b']) {
      const { status, body } = await getJson(`${base}/hello?name=${encodeURIComponent(name)}`);
      assert.equal(status, 400, `name ${JSON.stringify(name)}`);
      assert.match((body as { error: string }).error, /name/);
    }
    assert.equal((await getJson(`${base}/hello?name=${'x'.repeat(MAX_NAME_LENGTH)}`)).status, 200);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    assert.equal((await getJson(`${base}/nope`)).status, 404);
    const res = await fetch(`${base}/hello`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });
});

describe('main', () => {
  it('listens on PORT and exits 0 after SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: '0' } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const match = /"port":(\d+)/.exec(chunk);
        if (match?.[1]) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`main exited early with ${code}`)));
    });
    assert.equal((await getJson(`http://127.0.0.1:${port}/healthz`)).status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('refuses a PORT that is not a port with exit code 2', async () => {
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: 'eighty' } });
    const [code] = await Promise.all([
      new Promise<number | null>((resolve) => child.once('exit', resolve)),
      child.stderr.toArray(),
    ]);
    assert.equal(code, 2);
  });
});
