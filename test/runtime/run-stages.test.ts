import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import { PolicyError, StageError } from '../../src/core/errors.ts';
import { buildGraph } from '../../src/core/graph.ts';
import { newManifest, readManifest } from '../../src/core/manifest/store.ts';
import { baseContext } from '../../src/runtime/context.ts';
import type { StageDefinition } from '../../src/runtime/define.ts';
import { manifestHandle } from '../../src/runtime/manifest-handle.ts';
import { runStages } from '../../src/runtime/run-stages.ts';
import type { StageFn } from '../../src/runtime/types.ts';

const config = parseConfig('version: 2\nname: t\ncomponents:\n  - name: a\n');

/** The shape of the standard pipeline: name → [phase, needs]. */
const SHAPE = {
  checkout: ['verify', []],
  deps: ['verify', ['checkout']],
  test: ['verify', ['deps']],
  scan: ['verify', ['deps']],
  build: ['release', ['test', 'scan']],
  sign: ['release', ['build']],
  'deploy-staging': ['release', ['sign']],
  'approve-production': ['approve', ['deploy-staging']],
  'deploy-production': ['promote', ['approve-production']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;
type StageName = keyof typeof SHAPE;
const STAGES = Object.keys(SHAPE) as StageName[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(
  overrides: Partial<Record<StageName, StageFn>>,
  selected: readonly StageName[] = STAGES,
  timeoutMs?: number,
) {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-run-'));
  const manifest = manifestHandle(join(dir, 'manifest.json'), newManifest({ name: 'local' }));
  const spans: Record<string, [number, number]> = {};
  const timed =
    (name: StageName, fn: StageFn | undefined): StageFn =>
    async (ctx) => {
      const t0 = performance.now();
      try {
        return await (fn ?? (async () => undefined))(ctx);
      } finally {
        spans[name] = [t0, performance.now()];
      }
    };
  const stages: StageDefinition[] = STAGES.map((name) => ({
    name,
    phase: SHAPE[name][0],
    needs: SHAPE[name][1],
    run: timed(name, overrides[name]),
  }));
  const summary = await runStages(
    buildGraph(stages),
    selected,
    baseContext({
      config,
      repoRoot: dir,
      outDir: dir,
      manifest,
      env: {},
      options: { isTTY: false },
      log: () => {},
    }),
    {
      timeoutMs,
      record: async (e, at) => {
        await manifest.update((m) => {
          m.stages[e.stage] = {
            status: e.kind === 'started' ? 'passed' : e.kind,
            startedAt: at.toISOString(),
            durationMs: 0,
          };
        });
      },
    },
  );
  return { summary, spans, dir };
}

describe('runStages', () => {
  it('runs independent stages concurrently and dependent ones in order', async () => {
    const { summary, spans } = await setup({
      test: () => sleep(80).then(() => undefined),
      scan: () => sleep(80).then(() => undefined),
    });
    expect(summary.exitCode).toBe(0);
    const [testStart, testEnd] = spans.test ?? [0, 0];
    const [scanStart, scanEnd] = spans.scan ?? [0, 0];
    expect(scanStart).toBeLessThan(testEnd);
    expect(testStart).toBeLessThan(scanEnd);
    expect(spans.build?.[0]).toBeGreaterThanOrEqual(Math.max(testEnd, scanEnd));
    expect(summary.events.filter((e) => e.kind === 'passed')).toHaveLength(9);
  });

  it('fails fast: cancels the running stage, skips the rest, exits with the failure code', async () => {
    let scanSawAbort = false;
    const { summary } = await setup({
      test: async () => {
        await sleep(20);
        throw new StageError('TESTS_FAILED', 'tests failed');
      },
      scan: async (ctx) => {
        await sleep(200);
        scanSawAbort = ctx.signal.aborted;
        return undefined;
      },
    });
    expect(summary.exitCode).toBe(1);
    const kinds = Object.fromEntries(
      summary.events.filter((e) => e.kind !== 'started').map((e) => [e.stage, e.kind]),
    );
    expect(kinds).toMatchObject({
      checkout: 'passed',
      deps: 'passed',
      test: 'failed',
      scan: 'skipped',
      build: 'skipped',
      'deploy-production': 'skipped',
    });
    expect(summary.durationMs).toBeLessThan(200);
    await sleep(200);
    expect(scanSawAbort).toBe(true);
  });

  it('reports a policy block as blocked with exit 3', async () => {
    const { summary } = await setup(
      { scan: async () => Promise.reject(new PolicyError('BLOCKED', '2 HIGH findings')) },
      ['scan', 'build'],
    );
    expect(summary.exitCode).toBe(3);
    expect(summary.events).toContainEqual(
      expect.objectContaining({ kind: 'blocked', stage: 'scan', message: '2 HIGH findings' }),
    );
    expect(summary.events).toContainEqual({
      kind: 'skipped',
      stage: 'build',
      reason: 'needs scan, which did not pass',
    });
  });

  it('stops a stage at its timeout', async () => {
    const { summary } = await setup(
      { deps: () => sleep(5_000).then(() => undefined) },
      ['checkout', 'deps'],
      50,
    );
    expect(summary.exitCode).toBe(1);
    expect(summary.events).toContainEqual(
      expect.objectContaining({
        kind: 'failed',
        stage: 'deps',
        message: expect.stringContaining('did not finish within'),
      }),
    );
    expect(summary.durationMs).toBeLessThan(2_000);
  });

  it('treats stages outside the selection as done by an earlier run', async () => {
    const { summary } = await setup({}, ['build', 'sign']);
    expect(summary.events.filter((e) => e.kind === 'passed').map((e) => e.stage)).toEqual(['build', 'sign']);
  });

  it('records every finished stage in the manifest', async () => {
    const { dir } = await setup({ sign: async () => Promise.reject(new StageError('X', 'boom')) }, [
      'build',
      'sign',
      'deploy-staging',
    ]);
    const manifest = await readManifest(join(dir, 'manifest.json'));
    expect(manifest?.stages).toMatchObject({
      build: { status: 'passed' },
      sign: { status: 'failed' },
      'deploy-staging': { status: 'skipped' },
    });
  });

  it('turns an unexpected exception into a failed stage, not a crash', async () => {
    const { summary } = await setup(
      { checkout: async () => Promise.reject(new TypeError('x is undefined')) },
      ['checkout'],
    );
    expect(summary.exitCode).toBe(1);
    expect(summary.events).toContainEqual(
      expect.objectContaining({ kind: 'failed', message: expect.stringContaining('x is undefined') }),
    );
  });
});
