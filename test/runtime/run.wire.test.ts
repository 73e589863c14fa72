import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IMAGES } from '../../src/core/images.ts';
import { runCli } from '../support/cli.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../support/engine/index.ts';

const root = join(import.meta.dirname, '../..');
const junit = `<?xml version="1.0"?><testsuites><testsuite name="s" tests="3">
<testcase name="a"/><testcase name="b"/><testcase name="c"><skipped/></testcase></testsuite></testsuites>`;

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function gantryRun(args: string[], scenario: Scenario) {
  engine = await startTestEngine(scenario);
  const out = await mkdtemp(join(tmpdir(), 'gantry-wire-'));
  const manifest = join(out, 'manifest.json');
  const started = engine;
  const result = await started.run(() =>
    runCli(['run', ...args, '--manifest', manifest], { cwd: root, env: { ...started.env } }),
  );
  return { result, engine: started, out, manifest };
}

describe('gantry run --only checkout,deps,test (wire)', () => {
  it('sends only schema-valid queries and installs, then tests, in the pinned toolchain image', async () => {
    const {
      result,
      engine: e,
      out,
      manifest,
    } = await gantryRun(['--only', 'checkout,deps,test'], {
      exec: [{ argv: ['npm', 'test'], stdout: '3 tests\n' }],
      files: { '/src/reports/junit.xml': junit },
    });
    expect(result.stderr).toContain('engine: Dagger session on 127.0.0.1:');
    expect(result.code, result.stderr).toBe(0);
    expect(e.requests.length).toBeGreaterThan(0);
    expect(e.requests.filter((r) => !r.valid)).toEqual([]);

    const execs = e.execs();
    const install = execs.find((x) => x.argv[0] === 'npm' && x.argv[1] === 'ci');
    const tests = execs.find((x) => x.argv.join(' ') === 'npm test');
    expect(install?.image).toBe(IMAGES.node);
    expect(tests?.image).toBe(IMAGES.node);
    expect(install?.workdir).toBe('/src');
    // The npm cache lives in a volume keyed on the lockfile hash.
    const lock = JSON.parse(await readFile(manifest, 'utf8')).components['hello-api'].lockfileHash as string;
    expect(lock).toMatch(/^[a-f0-9]{16}$/);
    expect(install?.caches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/root/.npm', key: expect.stringContaining(lock) }),
      ]),
    );
    // The tests run in the container that has the dependencies installed.
    const installIndex = tests?.steps.findIndex(
      (s) => s.field === 'withExec' && (s.args.args as string[])[1] === 'ci',
    );
    const testIndex = tests?.steps.findIndex(
      (s) => s.field === 'withExec' && (s.args.args as string[]).join(' ') === 'npm test',
    );
    expect(installIndex).toBeGreaterThan(-1);
    expect(testIndex).toBeGreaterThan(installIndex ?? Infinity);

    const written = JSON.parse(await readFile(manifest, 'utf8'));
    expect(written.source.commit).toMatch(/^[a-f0-9]{40}$/);
    expect(written.components['hello-api'].tests).toMatchObject({ passed: 2, failed: 0, skipped: 1 });
    expect(Object.keys(written.stages)).toEqual(['checkout', 'deps', 'test']);
    expect(await readFile(join(out, 'junit', 'hello-api.xml'), 'utf8')).toBe(junit);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('| test | ✅ passed |');
  });

  it('fails the test stage with the test output, not a GraphQL error dump', async () => {
    const { result } = await gantryRun(['--only', 'checkout,deps,test'], {
      exec: [
        {
          argv: ['npm', 'test'],
          stdout: 'not ok 1 - greets\n',
          stderr: 'AssertionError: expected 200\n',
          exitCode: 1,
        },
      ],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('✖ test failed');
    expect(result.stderr).toContain('hello-api: tests exited 1');
    expect(result.stderr).toContain('AssertionError: expected 200');
    expect(result.stderr).not.toMatch(/GraphQL|"errors"|extensions/);
  });

  it('fails the deps stage with the failing command and its output', async () => {
    const { result } = await gantryRun(['--only', 'checkout,deps,test'], {
      exec: [{ argv: /^npm ci/, stderr: 'npm ERR! code E404\n', exitCode: 1 }],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✖ deps failed .*`npm ci --no-audit --no-fund` exited with 1/);
    expect(result.stderr).toContain('npm ERR! code E404');
    expect(result.stderr).toContain('○ test skipped: needs deps, which did not pass');
  });

  it('proves validation is live: a query the schema rejects fails the stage', async () => {
    engine = await startTestEngine({});
    const res = await fetch(`http://127.0.0.1:${engine.env.DAGGER_SESSION_PORT}/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${engine.env.DAGGER_SESSION_TOKEN}:`).toString('base64')}`,
      },
      body: JSON.stringify({ query: '{ container { fromm(address: "alpine") { id } } }' }),
    });
    const body = (await res.json()) as { errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/fromm/);
    expect(engine.requests.at(-1)?.valid).toBe(false);
  });
});
