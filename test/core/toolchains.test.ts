import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import { IMAGES } from '../../src/core/images.ts';
import { lockfileHash, resolveToolchain } from '../../src/core/toolchains.ts';

const component = (toolchain: string) =>
  parseConfig(`version: 1\nname: t\ncomponents:\n  - name: a\n    toolchain: ${toolchain}\n`).components[0] ??
  (() => {
    throw new Error('no component');
  })();
const having =
  (...files: string[]) =>
  async (path: string) =>
    files.some((f) => path.endsWith(`/${f}`));

describe('resolveToolchain', () => {
  it('picks the node package manager from the lockfile', async () => {
    const npm = await resolveToolchain(component('node'), '/c', having('package-lock.json'));
    expect(npm).toMatchObject({ image: IMAGES.node, lockfile: 'package-lock.json', caches: ['/root/.npm'] });
    expect(npm.install).toEqual([['npm', 'ci', '--no-audit', '--no-fund']]);
    const pnpm = await resolveToolchain(
      component('node'),
      '/c',
      having('pnpm-lock.yaml', 'package-lock.json'),
    );
    expect(pnpm.install).toEqual([
      ['corepack', 'enable'],
      ['pnpm', 'install', '--frozen-lockfile'],
    ]);
    const yarn = await resolveToolchain(component('node'), '/c', having('yarn.lock'));
    expect(yarn.test).toEqual([['yarn', 'test']]);
    const none = await resolveToolchain(component('node'), '/c', having());
    expect(none.lockfile).toBeUndefined();
  });

  it('uses uv when uv.lock is there, pip otherwise, and writes JUnit from pytest', async () => {
    const uv = await resolveToolchain(component('python'), '/c', having('uv.lock'));
    // uv Docker guide "Intermediate layers" (astral-sh/uv docs/guides/integration/docker.md, #12818): deps
    // with --no-install-project before the source, the project after; --locked fails on a stale lock.
    expect(uv.install.at(-1)).toEqual(['uv', 'sync', '--locked', '--no-install-project']);
    expect(uv.afterSource).toEqual([['uv', 'sync', '--locked']]);
    const pip = await resolveToolchain(component('python'), '/c', having('requirements.txt'));
    expect(pip.install).toEqual([['pip', 'install', '-r', 'requirements.txt']]);
    expect(pip.test[0]).toEqual(['python', '-m', 'pytest', '--junitxml', 'reports/junit.xml']);
  });

  it('runs go tests through gotestsum for a JUnit report, caching modules and the build cache', async () => {
    const go = await resolveToolchain(component('go'), '/c', having('go.sum'));
    expect(go).toMatchObject({
      image: IMAGES.go,
      lockfile: 'go.sum',
      caches: ['/go/pkg/mod', '/root/.cache/go-build'],
    });
    expect(go.test[0]).toEqual(['gotestsum', '--junitfile', 'reports/junit.xml', '--', './...']);
  });

  it('takes a custom image and commands as given', async () => {
    const custom = await resolveToolchain(
      component(
        '{ image: "rust:1.83.0", install: [[cargo, fetch]], test: [[cargo, test]], lockfile: Cargo.lock, cache: [/usr/local/cargo/registry] }',
      ),
      '/c',
      having(),
    );
    expect(custom).toEqual({
      image: 'rust:1.83.0',
      install: [['cargo', 'fetch']],
      afterSource: [],
      test: [['cargo', 'test']],
      lockfile: 'Cargo.lock',
      caches: ['/usr/local/cargo/registry'],
      env: {},
    });
  });
});

describe('lockfileHash', () => {
  it('changes with the lockfile and only then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-lock-'));
    await writeFile(join(dir, 'package-lock.json'), '{"a":1}');
    const first = await lockfileHash(dir, 'package-lock.json');
    expect(await lockfileHash(dir, 'package-lock.json')).toBe(first);
    await writeFile(join(dir, 'package-lock.json'), '{"a":2}');
    expect(await lockfileHash(dir, 'package-lock.json')).not.toBe(first);
    expect(await lockfileHash(dir, undefined)).toBe('nolock');
  });
});
