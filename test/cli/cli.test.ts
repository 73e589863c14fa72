import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const root = join(import.meta.dirname, '../..');
const exec = promisify(execFile);

/** Runs the real entry point in a child process, the way a user or a CI job does. */
async function gantry(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('DAGGER_') && k !== '_EXPERIMENTAL_DAGGER_RUNNER_HOST' && k !== 'DOCKER_HOST',
    ),
  );
  try {
    const { stdout, stderr } = await exec(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'pipeline/main.ts'), ...args],
      {
        cwd: root,
        env: { ...clean, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('gantry CLI', () => {
  it('lists the commands and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of ['run', 'plan', 'validate', 'gate', 'schema'])
      expect(result.stdout).toMatch(new RegExp(`\\n  ${name} `));
    expect(result.stdout).toContain('3 blocked by policy');
  });

  it('prints a command usage with --help', async () => {
    const result = await runCli(['run', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: gantry run [--phase P] [--only S,…]');
    expect(result.stdout).not.toContain('usage: Usage:');
  });

  it('rejects an unknown command with exit 2', async () => {
    const result = await runCli(['redeploy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "redeploy"');
    expect(result.stderr).toContain('fix: use one of: run, deploy, plan');
  });

  it('without an engine, run exits 1 saying how to get one, with no stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-cli-'));
    const result = await gantry(['run', '--only', 'checkout', '--manifest', join(dir, 'manifest.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no Dagger engine is reachable');
    expect(result.stderr).toContain('dagger run');
    expect(result.stderr).toContain('_EXPERIMENTAL_DAGGER_RUNNER_HOST');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows the stack trace only with --debug', async () => {
    const plain = await gantry(['validate', '--config', 'nope.yaml']);
    const debug = await gantry(['validate', '--config', 'nope.yaml', '--debug']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('plan and validate work from the entry point', async () => {
    const plan = await gantry(['plan', '--format', 'json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).order).toHaveLength(9);
    const validate = await gantry(['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('gantry.yaml is valid');
  });
});
