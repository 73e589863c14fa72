import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
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

  it('refuses stray words (exit 2) instead of ignoring them: `gantry run promote` runs nothing', async () => {
    for (const args of [
      ['run', 'promote'],
      ['run', '--only', 'scan', 'deploy-production'],
      ['plan', 'x'],
      ['validate', 'a.yaml'],
      ['schema', 'out.json'],
    ]) {
      const result = await runCli(args, { cwd: root, env: {} });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`unexpected argument "${args.at(-1)}"`);
      expect(result.stderr).not.toMatch(/gantry: |DAGGER|engine/);
    }
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
    // README "Outputs": out/ is written also when the run fails, engine unreachable included
    expect((await readdir(dir)).sort()).toEqual(['gantry.env', 'manifest.json', 'summary.md']);
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('did not pass (exit 1)');
    expect(summary).toContain('stopped before its stages finished: no Dagger engine is reachable');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(await readFile(join(dir, 'gantry.env'), 'utf8')).toContain(`GANTRY_RUN_ID=${manifest.runId}`);
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

describe('selection flags', () => {
  // Unknown stage or phase names in every selection flag are invalid input (exit 2) in `plan` and in `run`
  // (where they must be refused before any engine is contacted), never a silent selection of all stages.
  const flags = [
    ['--only', 'nope'],
    ['--from', 'nope'],
    ['--until', 'nope'],
    ['--phase', 'nope'],
  ] as const;

  it.each(flags)('plan %s nope exits 2 naming the flag', async (flag, value) => {
    const result = await runCli(['plan', flag, value], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"nope"');
    if (flag !== '--phase') expect(result.stderr).toContain(`${flag}: unknown stage`);
  });

  it.each(flags)('run %s nope exits 2 before contacting an engine', async (flag, value) => {
    const result = await runCli(['run', flag, value], { cwd: root, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"nope"');
    expect(result.stderr).not.toMatch(/engine/i);
  });
});

describe('gantry <command> --help', () => {
  it('prints one usage line per command, never "usage: Usage:"', async () => {
    const { COMMANDS } = await import('../../src/cli/cli.ts');
    for (const command of COMMANDS) {
      const { stdout, code } = await runCli([command.name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^usage: gantry ${command.name}\\b`, 'm'));
      expect(stdout).not.toMatch(/usage:\s*usage:/i);
    }
  });
});
