/** Shared setup of the reliability suite: `gantry run` in-process against the wire-test engine. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { type CliResult, runCli } from '../support/cli.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../support/engine/index.ts';

/** The repository root: runs check out this repository and build its example. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** Gantry's own gantry.yaml, as an object to vary. */
export const BASE_CONFIG = {
  version: 1,
  name: 'gantry-example',
  components: [
    {
      name: 'hello-api',
      path: 'examples/hello-api',
      toolchain: 'node',
      dockerfile: 'Dockerfile',
      junit: 'reports/junit.xml',
    },
  ],
  environments: {
    staging: {
      driver: 'kubernetes',
      kustomize: 'k8s/overlays/staging',
      smoke: { path: '/healthz', status: 200, port: 8080 },
    },
    production: { driver: 'kubernetes', kustomize: 'k8s/overlays/production', approval: true },
  },
  policy: 'builtin:default',
};

/** A temporary work folder with a gantry.yaml and an out/ manifest path. */
export interface Workspace {
  dir: string;
  config: string;
  manifest: string;
  /** Runs `gantry run <args>` against `engine` with this workspace's config and manifest. */
  run(engine: TestEngine, args: string[], env?: Record<string, string>, cwd?: string): Promise<CliResult>;
  readManifest(): Promise<RunManifest>;
  editManifest(change: (m: RunManifest) => void): Promise<void>;
  cleanup(): Promise<void>;
}

/** Makes a workspace whose gantry.yaml is `config` (default {@link BASE_CONFIG}). */
export async function workspace(config: object = BASE_CONFIG): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-reliability-'));
  const file = join(dir, 'gantry.yaml');
  await writeFile(file, stringify(config));
  const manifest = join(dir, 'out', 'manifest.json');
  const readManifest = async () => JSON.parse(await readFile(manifest, 'utf8')) as RunManifest;
  return {
    dir,
    config: file,
    manifest,
    run: (engine, args, env = {}, cwd = ROOT) =>
      engine.run(() =>
        runCli(['run', ...args, '--config', file, '--manifest', manifest], {
          cwd,
          env: { ...env, ...engine.env },
        }),
      ),
    readManifest,
    async editManifest(change) {
      const m = await readManifest();
      change(m);
      await writeFile(manifest, JSON.stringify(m, null, 2));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Starts an engine, runs `fn`, closes the engine. */
export async function withEngine<T>(scenario: Scenario, fn: (engine: TestEngine) => Promise<T>): Promise<T> {
  const engine = await startTestEngine(scenario);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}
