/**
 * Interruption: the real entry (`tsx pipeline/main.ts run`) as a child process against the wire-test
 * engine, stopped by SIGINT or SIGTERM while a stage is running. The manifest stays valid JSON that passes
 * the schema, the message is clear, the process ends promptly, and `--from <the unfinished stage>` continues
 * the same run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/core/manifest/store.ts';
import type { TestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { ROOT, type Workspace, withEngine, workspace } from './support.ts';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.cleanup();
  ws = undefined;
});

/** The test stage's `npm test` hangs this long: the signal always lands while it runs. */
const SLOW_MS = 60_000;

/** Starts `gantry run` as a child; resolves when its stderr matches `ready`. */
function startGantry(w: Workspace, engine: TestEngine) {
  // node with tsx's loader, not the tsx CLI: the CLI relays signals to its child and SIGKILLs it when the
  // child does not confirm within 30 ms, which a loaded machine misses; the signal must reach gantry itself.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'pipeline/main.ts'),
      'run',
      '--until',
      'build',
      '--config',
      w.config,
      '--manifest',
      w.manifest,
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...engine.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const until = (pattern: RegExp, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${ms} ms:\n${stderr}`)), ms);
      const check = () => {
        if (!pattern.test(stderr)) return;
        clearTimeout(timer);
        child.stderr?.off('data', check);
        resolve();
      };
      child.stderr?.on('data', check);
      check();
    });
  return { child, exited, until };
}

/**
 * Waits until the engine has started running `npm test` (the request forcing it is in flight). Throws when
 * the child exits first or 30 s pass: the signal must land while the stage runs, or the test proves nothing.
 */
async function testExecRunning(engine: TestEngine, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    if (engine.requests.some((r) => r.end === undefined && /npm/.test(r.query) && /test/.test(r.query)))
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    child.exitCode === null
      ? 'npm test never started running in the engine within 30 s'
      : `gantry exited (${child.exitCode}) before npm test ran in the engine`,
  );
}

describe('the interruption checks', () => {
  // Readers refuse a torn manifest; that the writer never leaves one (a crash between write and rename) is
  // shown in test/core/atomic-write.crash.test.ts, which fails against a direct, non-atomic write.
  it('refuse a torn or schema-breaking manifest', async () => {
    ws = await workspace();
    const w = ws;
    await withEngine(fullPipelineScenario(), (engine) => w.run(engine, ['--only', 'checkout']));
    const text = await readFile(w.manifest, 'utf8');
    expect(() => parseManifest(JSON.parse(text), w.manifest)).not.toThrow();
    expect(() => JSON.parse(text.slice(0, text.length / 2))).toThrow();
    const broken = { ...JSON.parse(text), stages: { checkout: { status: 'started' } } };
    expect(() => parseManifest(broken, w.manifest)).toThrow(/manifest/);
  });
});

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a stage', (signal) => {
  it('leaves a valid manifest and a clear message, ends promptly, and --from test continues', async () => {
    ws = await workspace();
    const w = ws;
    const scenario = fullPipelineScenario({ exec: [{ argv: ['npm', 'test'], delayMs: SLOW_MS }] });
    const { exited, sentAt } = await withEngine(scenario, async (engine) => {
      const run = startGantry(w, engine);
      await run.until(/▶ test/, 30_000);
      await testExecRunning(engine, run.child);
      const at = performance.now();
      run.child.kill(signal);
      const result = await run.exited;
      return { exited: result, sentAt: performance.now() - at };
    });
    expect(exited.stderr).toContain(
      `gantry: ${signal} received, stopping; the run manifest keeps every finished stage`,
    );
    expect(exited.stderr).toMatch(new RegExp(`interrupted by ${signal}`));
    expect(exited.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(exited.code).not.toBe(0);
    expect(sentAt).toBeLessThan(10_000);

    const text = await readFile(w.manifest, 'utf8');
    const manifest = parseManifest(JSON.parse(text), w.manifest);
    expect(manifest.stages.checkout?.status).toBe('passed');
    expect(manifest.stages.deps?.status).toBe('passed');
    expect(manifest.stages.test?.status).not.toBe('passed');

    const rerun = await withEngine(fullPipelineScenario(), (engine) =>
      w.run(engine, ['--from', 'test', '--until', 'build']),
    );
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`continuing run ${manifest.runId}`);
    const after = await w.readManifest();
    expect(after.runId).toBe(manifest.runId);
    expect(after.stages.test?.status).toBe('passed');
    expect(after.components['hello-api']?.image?.digest).toMatch(/^sha256:/);
  }, 90_000);
});
