import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../support/engine/index.ts';

const root = join(import.meta.dirname, '../..');
const junit =
  '<?xml version="1.0"?><testsuites><testsuite name="s" tests="1"><testcase name="a"/></testsuite></testsuites>';

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** `gantry run --only checkout,deps,test` on this repository, with the CI variables of one platform. */
async function runOn(ci: Record<string, string>, scenario: Scenario) {
  engine = await startTestEngine(scenario);
  const out = await mkdtemp(join(tmpdir(), 'gantry-ci-output-'));
  const started = engine;
  return started.run(() =>
    runCli(['run', '--only', 'checkout,deps,test', '--manifest', join(out, 'manifest.json')], {
      cwd: root,
      env: { ...started.env, ...ci },
    }),
  );
}

const failingTests: Scenario = {
  exec: [
    {
      argv: ['npm', 'test'],
      stdout: 'not ok 1 - greets\n',
      stderr: 'AssertionError: 100% wrong\n',
      exitCode: 1,
    },
  ],
};

describe('CI output (wire)', () => {
  it('GITHUB_ACTIONS=true: one ::group:: per stage with its lines inside, and the failure as an ::error annotation', async () => {
    const result = await runOn({ GITHUB_ACTIONS: 'true' }, failingTests);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    for (const stage of ['checkout', 'deps']) {
      const start = lines.findIndex((l) => l.startsWith(`::group::✔ ${stage} passed`));
      expect(start, `${stage} group`).toBeGreaterThan(-1);
      expect(lines.slice(start + 1).indexOf('::endgroup::')).toBeGreaterThan(-1);
    }
    const test = lines.findIndex((l) => l.startsWith('::group::✖ test failed'));
    const end = lines.indexOf('::endgroup::', test);
    expect(test).toBeGreaterThan(-1);
    // The stage's own lines are inside its group, not in another one.
    expect(lines.slice(test, end).some((l) => l.includes('hello-api'))).toBe(true);
    // toolkit escapeData: % → %25 and newlines → %0A, so the whole message stays one workflow command.
    const error = lines.find((l) => l.startsWith('::error title=test failed::'));
    expect(error).toBeDefined();
    expect(error).toContain('100%25 wrong');
    expect(error).not.toContain('100% wrong');
    expect(lines.filter((l) => l.startsWith('::group::')).length).toBe(
      lines.filter((l) => l === '::endgroup::').length,
    );
  });

  it('GITLAB_CI=true: each stage in a collapsed section_start … section_end', async () => {
    const result = await runOn(
      { GITLAB_CI: 'true' },
      {
        exec: [{ argv: ['npm', 'test'], stdout: '1 test\n' }],
        files: { '/src/reports/junit.xml': junit },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    for (const stage of ['checkout', 'deps', 'test']) {
      const start = new RegExp(
        `\\u001b\\[0Ksection_start:(\\d+):gantry_${stage}\\[collapsed=true\\]\\r\\u001b\\[0K✔ ${stage} passed`,
      );
      const end = new RegExp(`\\u001b\\[0Ksection_end:(\\d+):gantry_${stage}\\r\\u001b\\[0K`);
      const s = start.exec(result.stderr);
      const e = end.exec(result.stderr);
      expect(s, stage).not.toBeNull();
      expect(e, stage).not.toBeNull();
      expect(Number(e?.[1])).toBeGreaterThanOrEqual(Number(s?.[1]));
      expect(e?.index).toBeGreaterThan(s?.index ?? Infinity);
    }
    expect(result.stderr).not.toContain('::group::');
  });
});
