/** What the deps step asks the engine to do, per toolchain. */
import { connection, dag } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import { Component } from '../../src/core/config/schema.ts';
import { IMAGES } from '../../src/core/images.ts';
import { resolveToolchain } from '../../src/core/toolchains.ts';
import { deps } from '../../src/dagger/deps.ts';
import { startTestEngine } from '../support/engine/index.ts';

const line = (argv: string[]) => argv.join(' ');

describe('deps (wire)', () => {
  it('uv: syncs the dependencies from pyproject.toml + uv.lock only, then the project once the source is in', async () => {
    // uv Docker guide, "Intermediate layers" (astral-sh/uv docs/guides/integration/docker.md at 26a9dd4b):
    // `uv sync --locked --no-install-project` with uv.lock + pyproject.toml only, then COPY, then `uv sync --locked`.
    // Facts §5. Without it a packaged project fails: its package is not there yet.
    const component = Component.parse({ name: 'api', toolchain: 'python' });
    const toolchain = await resolveToolchain(component, '/c', async (f) => f.endsWith('uv.lock'));
    const engine = await startTestEngine({});
    try {
      await engine.run(() =>
        connection(async () => {
          await deps(dag.directory().withNewFile('pyproject.toml', '[project]\nname = "api"\n'), toolchain, {
            lockHash: 'abc',
          }).sync();
        }),
      );
      const execs = engine.execs();
      expect(execs.map((e) => line(e.argv))).toEqual([
        'pip install uv==0.5.4',
        'uv sync --locked --no-install-project',
        'uv sync --locked',
      ]);
      const copies = (i: number) =>
        (execs[i]?.steps ?? []).filter((s) => s.field === 'withDirectory' && s.args.path === '/src');
      // Dependency layer: one copy, of the manifest files and the lockfile only.
      expect(copies(1)).toHaveLength(1);
      expect(copies(1)[0]?.args.include).toEqual(expect.arrayContaining(['pyproject.toml', 'uv.lock']));
      // Project sync: the whole source copied after the dependency layer.
      expect(copies(2)).toHaveLength(2);
      expect(copies(2)[1]?.args.include).toBeUndefined();
      expect(execs[1]?.caches).toEqual([{ path: '/root/.cache/uv', key: 'gantry--root-cache-uv-abc' }]);
    } finally {
      await engine.close();
    }
  });

  it('node: corepack-capable image (Node ≥ 22.14 ships corepack 0.31.0 with the rotated npm keys)', async () => {
    // nodejs/corepack#612 ("Cannot find matching keyid"), fixed in corepack 0.31.0; Node v22.14.0 release notes:
    // "deps: update corepack to 0.31.0" (#56795). Facts §4.
    const [major, minor] = (/^node:(\d+)\.(\d+)\.\d+-/.exec(IMAGES.node) ?? []).slice(1).map(Number);
    expect(major).toBe(22);
    expect(minor).toBeGreaterThanOrEqual(14);
    const pnpm = await resolveToolchain(Component.parse({ name: 'web' }), '/c', async (f) =>
      f.endsWith('pnpm-lock.yaml'),
    );
    expect(pnpm.image).toBe(IMAGES.node);
    expect(pnpm.install[0]).toEqual(['corepack', 'enable']);
  });
});
