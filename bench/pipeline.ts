/** Runs `gantry run` in-process against the wire-test engine, for the engine benchmarks. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunManifest } from '../src/core/manifest/schema.ts';
import { runCli } from '../test/support/cli.ts';
import type { TestEngine } from '../test/support/engine/index.ts';

/** The repository root (the benchmarks run Gantry's own gantry.yaml and example). */
export const REPO_ROOT = resolve(import.meta.dirname, '..');

/** A finished `gantry run`. */
export interface BenchRun {
  code: number;
  stderr: string;
  /** Wall time of the whole command, in milliseconds. */
  wallMs: number;
  manifest: RunManifest;
}

/** A temporary out/ folder, removed by `cleanup`. */
export async function tempOut(): Promise<{ manifest: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-'));
  return { manifest: join(dir, 'manifest.json'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs `gantry run <args> --manifest <manifest> --yes` against `engine` (with `config` as gantry.yaml when
 * given); throws when it does not pass.
 */
export async function benchRun(
  engine: TestEngine,
  args: string[],
  manifest: string,
  config?: string,
): Promise<BenchRun> {
  const t0 = performance.now();
  const configArgs = config ? ['--config', config] : [];
  const result = await engine.run(() =>
    runCli(['run', ...args, ...configArgs, '--manifest', manifest, '--yes'], {
      cwd: REPO_ROOT,
      env: { ...engine.env },
    }),
  );
  const wallMs = performance.now() - t0;
  if (result.code !== 0) throw new Error(`bench: gantry run ${args.join(' ')} failed:\n${result.stderr}`);
  const written = JSON.parse(await readFile(manifest, 'utf8')) as RunManifest;
  return { ...result, wallMs, manifest: written };
}

/**
 * A gantry.yaml like this repository's, with `n` components (copies of the example under other names), in a
 * temporary folder: the multi-component pipeline where building, scanning, signing and deploying each
 * component can overlap.
 */
export async function multiComponentConfig(n: number): Promise<{ file: string; cleanup(): Promise<void> }> {
  const base = parse(await readFile(join(REPO_ROOT, 'gantry.yaml'), 'utf8')) as { components: object[] };
  const first = base.components[0] as Record<string, unknown>;
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-multi-'));
  const file = join(dir, 'gantry.yaml');
  const components = Array.from({ length: n }, (_, i) => ({ ...first, name: `${first.name}-${i + 1}` }));
  const policy = (base as { policy?: string }).policy;
  await writeFile(
    file,
    stringify({ ...base, components, ...(policy ? { policy: resolve(REPO_ROOT, policy) } : {}) }),
  );
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
