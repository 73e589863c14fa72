import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCiFiles } from '../../../src/cli/ci/init.ts';
import { readCiTemplates } from '../../../src/cli/ci/templates.ts';
import { InputError } from '../../../src/core/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-ci-init-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCiFiles', () => {
  it('writes every template of the platform to its target path', async () => {
    const results = await writeCiFiles('gitlab', dir);
    expect(results.map((r) => [r.kind, r.path])).toEqual([
      ['created', '.gitlab-ci.yml'],
      ['created', 'ci/gitlab/gantry.yml'],
    ]);
    for (const t of await readCiTemplates('gitlab')) {
      expect(await readFile(join(dir, t.target), 'utf8')).toBe(t.content);
    }
  });

  it('leaves identical files alone on a second run', async () => {
    await writeCiFiles('jenkins', dir);
    const again = await writeCiFiles('jenkins', dir);
    expect(again.map((r) => r.kind)).toEqual(['unchanged', 'unchanged']);
  });

  it('refuses to replace an edited file, and writes nothing at all', async () => {
    await mkdir(join(dir, '.github/workflows'), { recursive: true });
    await writeFile(join(dir, '.github/workflows/gantry-reusable.yml'), 'name: mine\n');
    const error = await writeCiFiles('github', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('CI_FILE_EXISTS');
    expect((error as InputError).message).toContain('.github/workflows/gantry-reusable.yml');
    expect((error as InputError).hint).toContain('--force');
    await expect(readFile(join(dir, '.github/workflows/gantry.yml'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(dir, '.github/workflows/gantry-reusable.yml'), 'utf8')).toBe('name: mine\n');
  });

  it('replaces edited files with force and says so', async () => {
    await writeFile(join(dir, 'Jenkinsfile'), 'pipeline {}\n');
    const results = await writeCiFiles('jenkins', dir, { force: true });
    expect(results.map((r) => [r.kind, r.path])).toEqual([
      ['overwritten', 'Jenkinsfile'],
      ['created', 'vars/gantry.groovy'],
    ]);
    expect(await readFile(join(dir, 'Jenkinsfile'), 'utf8')).toContain("submitterParameter 'APPROVER'");
  });
});
