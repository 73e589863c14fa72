/**
 * Dry check of the end-to-end entry: the exact command pipeline.e2e.test.ts runs, as a child process with the
 * environment of a GitHub Actions runner (`CI=true`, `GITHUB_ACTIONS=true`), against the wire-test engine
 * instead of a real one. It fails if the e2e run cannot pass where it runs (e.g. by relying on `--yes`,
 * which CI refuses), which the real e2e test, skipped without an engine, would not show here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { e2eInvocation } from './invocation.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** What a GitHub-hosted runner sets (docs.github.com, "Variables reference", default environment variables). */
const GITHUB_RUNNER = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '4242',
  GITHUB_REPOSITORY: 'acme/gantry',
  GITHUB_SERVER_URL: 'https://github.com',
};

async function runEntry(env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-dry-'));
  const manifestFile = join(dir, 'manifest.json');
  const engine = await startTestEngine(fullPipelineScenario());
  try {
    const run = e2eInvocation(env, manifestFile);
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(CI|GITHUB_|GITLAB_|JENKINS_|DAGGER_|_EXPERIMENTAL_DAGGER)/.test(k),
      ),
    );
    const result = await exec(run.command, run.args, {
      cwd: root,
      env: { ...clean, ...env, ...engine.env },
      maxBuffer: 64 << 20,
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    const manifest = await readFile(manifestFile, 'utf8').then(JSON.parse, () => undefined);
    return { run, result, manifest };
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the e2e entry on its target runner (dry, wire-test engine)', () => {
  it('with CI=true on GitHub Actions: every stage passes, production deployed without an approval gate', async () => {
    const { run, result, manifest } = await runEntry(GITHUB_RUNNER);
    expect(run.approval).toBe('platform');
    expect(run.args).not.toContain('--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(manifest.deployments.map((d: { environment: string }) => d.environment)).toEqual([
      'staging',
      'production',
    ]);
    // No gated environment on CI (test/e2e/ci.gantry.yaml): no approval stage, none recorded, and a warning.
    expect(manifest.approvals).toEqual([]);
    expect(Object.keys(manifest.stages)).not.toContain('approve-production');
    expect(result.stderr).toMatch(/WARNING: approval is disabled for production/);
  }, 120_000);

  it('the refusal stays: the laptop command (--yes) on the same runner is refused with exit 4', async () => {
    const laptop = e2eInvocation({}, 'unused');
    expect(laptop.args).toContain('--yes');
    const dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-dry-'));
    const engine = await startTestEngine(fullPipelineScenario());
    try {
      const args = laptop.args.map((a) => (a === 'unused' ? join(dir, 'manifest.json') : a));
      const result = await exec(laptop.command, args, {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...GITHUB_RUNNER, ...engine.env },
        maxBuffer: 64 << 20,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('--yes (self-approval) is refused on CI');
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
