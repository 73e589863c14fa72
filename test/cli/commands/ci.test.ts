import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ciCommand } from '../../../src/cli/commands/ci.ts';
import type { CommandContext } from '../../../src/cli/commands/command.ts';
import { InputError } from '../../../src/core/errors.ts';
import { repoRoot } from '../../ci/support/repo.ts';

let dir: string;
let out: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-ci-cmd-'));
  out = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ctx(args: string[]): CommandContext {
  return {
    args,
    env: {},
    definition: { stages: [] },
    cwd: dir,
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    isTTY: false,
    debug: false,
  };
}

async function failure(args: string[]): Promise<InputError> {
  const error = await ciCommand.run(ctx(args)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('gantry ci', () => {
  it('init github writes the workflows that this repository commits, byte for byte', async () => {
    expect(await ciCommand.run(ctx(['init', 'github']))).toBe(0);
    for (const file of ['.github/workflows/gantry.yml', '.github/workflows/gantry-reusable.yml']) {
      expect(await readFile(join(dir, file), 'utf8')).toBe(await readFile(join(repoRoot, file), 'utf8'));
    }
    expect(out.join('\n')).toMatch(/created\s+\.github\/workflows\/gantry\.yml/);
  });

  it('--dir is resolved against the working directory', async () => {
    expect(await ciCommand.run(ctx(['init', 'jenkins', '--dir', 'sub/repo']))).toBe(0);
    expect(await readFile(join(dir, 'sub/repo/vars/gantry.groovy'), 'utf8')).toContain('def call(Map args');
  });

  it('an existing edited file needs --force', async () => {
    await ciCommand.run(ctx(['init', 'gitlab']));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, '.gitlab-ci.yml'), 'stages: [x]\n');
    expect((await failure(['init', 'gitlab'])).code).toBe('CI_FILE_EXISTS');
    expect(await ciCommand.run(ctx(['init', 'gitlab', '--force']))).toBe(0);
    expect(out.join('\n')).toMatch(/overwritten\s+\.gitlab-ci\.yml/);
  });

  it('rejects unknown platforms, sub-commands and flags with the allowed values', async () => {
    const platform = await failure(['init', 'circleci']);
    expect(platform.code).toBe('CI_PLATFORM');
    expect(platform.hint).toContain('github, gitlab, jenkins');
    expect((await failure(['init'])).message).toContain('no platform');
    expect((await failure(['init', 'github', 'gitlab'])).code).toBe('CI_PLATFORM');
    expect((await failure(['generate', 'github'])).code).toBe('CI_ARGS');
    expect((await failure([])).message).toContain('missing sub-command');
    expect((await failure(['init', 'github', '--frce'])).code).toBe('CI_ARGS');
  });

  it('--help prints the usage', async () => {
    expect(await ciCommand.run(ctx(['--help']))).toBe(0);
    expect(out[0]).toContain('gantry ci init <github|gitlab|jenkins>');
  });
});
