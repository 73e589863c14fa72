import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInitCommand } from '../../../src/cli/commands/init.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import type { InitQuestion } from '../../../src/core/init/render.ts';
import { runCli } from '../../support/cli.ts';

async function fixture(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gantry-init-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

const service = {
  'api/Dockerfile': 'FROM python',
  'api/requirements.txt': 'flask',
  'api/k8s/overlays/staging/kustomization.yaml': '',
  'node_modules/dep/package.json': '{}',
  'node_modules/dep/Dockerfile': '',
};

describe('gantry init', () => {
  it('writes gantry.yaml (valid for the loader) and pipeline/main.ts, ignoring node_modules', async () => {
    const cwd = await fixture(service);
    const result = await runCli(['init'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('components (1):');
    const config = await loadConfig(join(cwd, 'gantry.yaml'));
    expect(config.components.map((c) => c.name)).toEqual(['api']);
    const main = await readFile(join(cwd, 'pipeline/main.ts'), 'utf8');
    expect(main).toContain("import { main, standardStages } from 'gantry';");
    expect(main).toContain('await main({ stages: [...standardStages()] });');
  });

  it('refuses to overwrite without --force (exit 2), and replaces with it', async () => {
    const cwd = await fixture({ ...service, 'gantry.yaml': 'mine' });
    const refused = await runCli(['init'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('gantry.yaml already exist(s)');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(join(cwd, 'gantry.yaml'), 'utf8')).toBe('mine');
    expect((await runCli(['init', '--force'], { cwd })).code).toBe(0);
    expect(await readFile(join(cwd, 'gantry.yaml'), 'utf8')).toContain('name: api');
  });

  it('asks at a terminal and writes the answers; never asks without one', async () => {
    const cwd = await fixture(service);
    const asked: InitQuestion[] = [];
    const command = createInitCommand(async (q) => {
      asked.push(q);
      return q.id === 'registry' ? 'ghcr.io/acme' : q.default;
    });
    const ctx = {
      cwd,
      env: {},
      stdout: () => {},
      stderr: () => {},
      debug: false,
      args: [],
      definition: { stages: [] },
    };
    expect(await command.run({ ...ctx, isTTY: true })).toBe(0);
    expect(asked.map((q) => q.id)).toEqual(['registry']);
    expect((await loadConfig(join(cwd, 'gantry.yaml'))).registry?.address).toBe('ghcr.io/acme');
    asked.length = 0;
    expect(await command.run({ ...ctx, args: ['--force'], isTTY: false })).toBe(0);
    expect(asked).toEqual([]);
    expect(await readFile(join(cwd, 'gantry.yaml'), 'utf8')).toContain('# TODO: set registry.address');
  });
});
