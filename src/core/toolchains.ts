import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component } from './config/schema.ts';
import { IMAGES } from './images.ts';

/** A resolved toolchain: image, commands and caches for one component. */
export interface Toolchain {
  /** Container image, pinned. */
  image: string;
  /** Commands that install dependencies; they see only the manifest files and the lockfile. */
  install: string[][];
  /** Commands run once the whole source is copied in (e.g. installing the project itself). */
  afterSource: string[][];
  /** Commands that run the tests. */
  test: string[][];
  /** The lockfile that keys the dependency cache, relative to the component. */
  lockfile: string | undefined;
  /** Paths inside the container kept in cache volumes. */
  caches: string[];
  /** Environment for every command. */
  env: Record<string, string>;
}

type Exists = (file: string) => Promise<boolean>;

const NODE_MANAGERS = [
  {
    lockfile: 'pnpm-lock.yaml',
    install: [
      ['corepack', 'enable'],
      ['pnpm', 'install', '--frozen-lockfile'],
    ],
    test: [['pnpm', 'test']],
    cache: '/root/.local/share/pnpm/store',
  },
  {
    lockfile: 'yarn.lock',
    install: [
      ['corepack', 'enable'],
      ['yarn', 'install', '--frozen-lockfile'],
    ],
    test: [['yarn', 'test']],
    cache: '/usr/local/share/.cache/yarn',
  },
  {
    lockfile: 'package-lock.json',
    install: [['npm', 'ci', '--no-audit', '--no-fund']],
    test: [['npm', 'test']],
    cache: '/root/.npm',
  },
] as const;

/** Picks the toolchain of a component: a preset detected from its lockfile, or its custom image and commands. */
export async function resolveToolchain(
  component: Component,
  dir: string,
  exists: Exists,
): Promise<Toolchain> {
  const tc = component.toolchain;
  if (typeof tc === 'object') {
    return {
      image: tc.image,
      install: tc.install,
      afterSource: [],
      test: tc.test,
      lockfile: tc.lockfile,
      caches: tc.cache,
      env: {},
    };
  }
  const has = (file: string) => exists(join(dir, file));
  switch (tc) {
    case 'node': {
      for (const m of NODE_MANAGERS) {
        if (await has(m.lockfile)) {
          return {
            image: IMAGES.node,
            install: m.install.map((c) => [...c]),
            afterSource: [],
            test: m.test.map((c) => [...c]),
            lockfile: m.lockfile,
            caches: [m.cache],
            env: { CI: 'true' },
          };
        }
      }
      return {
        image: IMAGES.node,
        install: [['npm', 'install', '--no-audit', '--no-fund']],
        afterSource: [],
        test: [['npm', 'test']],
        lockfile: undefined,
        caches: ['/root/.npm'],
        env: { CI: 'true' },
      };
    }
    case 'python': {
      const env = { PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' };
      const test = [['python', '-m', 'pytest', '--junitxml', component.junit]];
      if (await has('uv.lock')) {
        return {
          image: IMAGES.python,
          // uv's Docker guide, "Intermediate layers": the dependencies first from pyproject.toml + uv.lock
          // (`--no-install-project`), the project itself once its source is there; `--locked` fails on a stale
          // lock (astral-sh/uv docs/guides/integration/docker.md; #12818 replaced --frozen with --locked).
          install: [
            ['pip', 'install', 'uv==0.5.4'],
            ['uv', 'sync', '--locked', '--no-install-project'],
          ],
          afterSource: [['uv', 'sync', '--locked']],
          test: [['uv', 'run', 'pytest', '--junitxml', component.junit]],
          lockfile: 'uv.lock',
          caches: ['/root/.cache/uv'],
          env,
        };
      }
      return {
        image: IMAGES.python,
        install: [['pip', 'install', '-r', 'requirements.txt']],
        afterSource: [],
        test,
        lockfile: 'requirements.txt',
        caches: ['/root/.cache/pip'],
        env,
      };
    }
    case 'go':
      return {
        image: IMAGES.go,
        install: [
          ['go', 'mod', 'download'],
          ['go', 'install', 'gotest.tools/gotestsum@v1.12.0'],
        ],
        afterSource: [],
        test: [['gotestsum', '--junitfile', component.junit, '--', './...']],
        lockfile: 'go.sum',
        caches: ['/go/pkg/mod', '/root/.cache/go-build'],
        env: { CGO_ENABLED: '0' },
      };
  }
}

/** SHA-256 of a component's lockfile (first 16 hex digits), or `nolock` when it has none. Keys the cache volumes. */
export async function lockfileHash(dir: string, lockfile: string | undefined): Promise<string> {
  if (!lockfile) return 'nolock';
  try {
    return createHash('sha256')
      .update(await readFile(join(dir, lockfile)))
      .digest('hex')
      .slice(0, 16);
  } catch {
    return 'nolock';
  }
}
