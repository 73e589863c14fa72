import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connection } from '@dagger.io/dagger';
import { afterEach, describe, expect, it } from 'vitest';
import { checkout, sourceInfo } from '../../src/dagger/source.ts';
import { startTestEngine, type TestEngine } from '../support/engine/index.ts';

const exec = promisify(execFile);
let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function repo() {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-checkout-'));
  const git = (...args: string[]) =>
    exec('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args]);
  await git('init', '-q', '-b', 'main');
  await writeFile(join(dir, 'a.txt'), 'a');
  await git('add', '.');
  await git('commit', '-qm', 'first');
  return { dir, git };
}

describe('sourceInfo', () => {
  it('records the commit, branch and dirty flag of a work tree', async () => {
    const { dir, git } = await repo();
    const head = (await git('rev-parse', 'HEAD')).stdout.trim();
    expect(await sourceInfo(dir)).toEqual({
      commit: head,
      ref: 'main',
      dirty: false,
      trackedChanges: `sha256:${createHash('sha256').update('').digest('hex')}`,
    });
    await writeFile(join(dir, 'b.txt'), 'untracked');
    expect((await sourceInfo(dir)).dirty).toBe(true);
  });

  it('names the CI ref on a detached checkout', async () => {
    const { dir, git } = await repo();
    await git('checkout', '-q', '--detach');
    expect((await sourceInfo(dir, { GITHUB_REF_NAME: 'release/1' })).ref).toBe('release/1');
  });

  it('says how to fix a folder that is not a git work tree', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-nogit-'));
    await expect(sourceInfo(dir)).rejects.toMatchObject({ code: 'CHECKOUT_NOT_GIT', exitCode: 1 });
  });
});

describe('checkout (wire)', () => {
  it('reads the host folder with .gitignore applied and build output left out', async () => {
    engine = await startTestEngine({});
    await engine.run(() => connection(async () => void (await checkout('/repo/app').entries())));
    const steps = engine.calls.at(-1)?.steps ?? [];
    expect(steps[0]?.field).toBe('host');
    expect(steps[1]).toEqual({
      field: 'directory',
      args: expect.objectContaining({
        path: '/repo/app',
        gitignore: true,
        exclude: ['.git/', 'node_modules/', 'out/'],
      }),
    });
  });

  it('clones a git remote at a commit', async () => {
    engine = await startTestEngine({});
    const sha = 'c'.repeat(40);
    await engine.run(() =>
      connection(
        async () =>
          void (await checkout('.', { remote: 'https://example.com/acme/app.git', commit: sha }).entries()),
      ),
    );
    const fields = (engine.calls.at(-1)?.steps ?? []).map((s) => [s.field, s.args]);
    expect(fields.slice(0, 3)).toEqual([
      ['git', expect.objectContaining({ url: 'https://example.com/acme/app.git' })],
      ['commit', { id: sha }],
      ['tree', {}],
    ]);
  });
});
