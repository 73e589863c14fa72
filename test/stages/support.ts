/** Shared setup of the stage wire tests: a temporary repo, a real manifest handle, the wire-test engine. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connection } from '@dagger.io/dagger';
import { afterEach, beforeEach, type MockInstance, vi } from 'vitest';
import { GantryConfig, migrateConfig } from '../../src/core/config/schema.ts';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { newManifest } from '../../src/core/manifest/store.ts';
import { baseContext } from '../../src/runtime/context.ts';
import { manifestHandle } from '../../src/runtime/manifest-handle.ts';
import type { StageContext, StageFn } from '../../src/runtime/types.ts';
import { workTree } from '../../src/stages/source-guard.ts';
import type { Scenario, TestEngine } from '../support/engine/index.ts';
import { startTestEngine } from '../support/engine/index.ts';

/** The repository root and `../shared` (test data). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SHARED = resolve(REPO_ROOT, '../shared');

/** Reads a fixture from `../shared/fixtures/`. */
export const fixture = (path: string) => readFile(join(SHARED, 'fixtures', path), 'utf8');

/** A temporary repo with an out/ folder; removed by `cleanup`. */
export interface TempRepo {
  root: string;
  outDir: string;
  cleanup(): Promise<void>;
}

export async function tempRepo(files: Record<string, string> = {}): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), 'gantry-steps-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
  return { root, outDir: join(root, 'out'), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A stage context over `repo` with a validated config; the manifest is written to out/manifest.json. */
export function stageContext(
  repo: TempRepo,
  config: Record<string, unknown>,
  options: { manifest?: RunManifest; env?: Record<string, string> } = {},
): StageContext & { logs: string[] } {
  const logs: string[] = [];
  const manifest = options.manifest ?? newManifest({ name: 'local' });
  const base = baseContext({
    config: GantryConfig.parse(migrateConfig({ version: 1, name: 'demo', ...config })),
    repoRoot: repo.root,
    outDir: repo.outDir,
    manifest: manifestHandle(join(repo.outDir, 'manifest.json'), manifest),
    env: options.env ?? {},
    options: { isTTY: false },
    log: (_stage, line) => logs.push(line),
  });
  return {
    ...base,
    stage: 'test-stage',
    signal: new AbortController().signal,
    log: (line) => logs.push(line),
    outcome: undefined,
    logs,
  };
}

/** Runs a stage against a fresh engine scripted by `scenario`; returns the engine and the outcome. */
export async function runStage(
  stage: StageFn,
  ctx: StageContext,
  scenario: Scenario,
): Promise<{ engine: TestEngine; result?: Awaited<ReturnType<StageFn>>; error?: unknown }> {
  const engine = await startTestEngine(scenario);
  try {
    let result: Awaited<ReturnType<StageFn>>;
    try {
      await engine.run(() =>
        connection(async () => {
          result = await stage(ctx);
        }),
      );
      // biome-ignore lint/style/noNonNullAssertion: assigned inside the connection
      return { engine, result: result! };
    } catch (error) {
      return { engine, error };
    }
  } finally {
    await engine.close();
  }
}

/** A commit SHA for manifests. */
export const COMMIT = 'a'.repeat(40);

/**
 * The work tree the stages see: the temporary repos here are not git work trees, so the source guard reads
 * HEAD = {@link COMMIT} with no tracked changes, the commit the test manifests record. A test can change it.
 */
export let liveTree: MockInstance<typeof workTree.read>;
beforeEach(() => {
  liveTree = vi
    .spyOn(workTree, 'read')
    .mockResolvedValue({ commit: COMMIT, trackedChanges: `sha256:${'0'.repeat(64)}` });
});
afterEach(() => liveTree.mockRestore());
