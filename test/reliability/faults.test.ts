/**
 * Engine faults: the wire-test engine dropping connections, answering 500 or answering slowly, mid-run.
 * Each run fails with a clear message and exit 1, and none hangs past the stage timeout (2s here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.ts';
import type { Fault } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { BASE_CONFIG, type Workspace, withEngine, workspace } from './support.ts';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.cleanup();
  ws = undefined;
});

const TIMEOUT_MS = 2_000;
/** A run may take this long beyond the stage timeout (start-up, writing the summary) before it counts as a hang. */
const MARGIN_MS = 3_000;

/** What is wrong with how a faulty run ended, or undefined when it failed clearly and in time. */
function mishandled(
  result: CliResult,
  elapsedMs: number,
  limitMs: number,
  message: RegExp,
): string | undefined {
  if (elapsedMs > limitMs) return `took ${Math.round(elapsedMs)} ms, more than ${limitMs} ms`;
  if (result.code !== 1) return `exit ${result.code}, expected 1`;
  if (!message.test(result.stderr)) return `no clear message (${message}) in:\n${result.stderr}`;
  if (/\n\s+at .+:\d+:\d+/.test(result.stderr)) return 'stack trace in the output';
  return undefined;
}

async function faultyRun(fault: Fault | undefined, stageTimeout = `${TIMEOUT_MS / 1000}s`) {
  ws = await workspace({ ...BASE_CONFIG, stageTimeout });
  const w = ws;
  return withEngine(fullPipelineScenario(fault ? { fault } : {}), async (engine) => {
    const t0 = performance.now();
    const result = await w.run(engine, ['--yes']);
    return { result, elapsedMs: performance.now() - t0, manifest: await w.readManifest() };
  });
}

describe('engine faults', () => {
  it('the detector flags a run that passes, one without a clear message, one that hangs, and a stack trace', async () => {
    const passing = await faultyRun(undefined);
    expect(mishandled(passing.result, passing.elapsedMs, 60_000, /engine/)).toMatch(/^exit 0/);
    // a run that fails with exit 1 but whose stderr lacks the expected message
    const unclear = await faultyRun({ kind: 'http500', afterRequests: 10 });
    expect(unclear.result.code).toBe(1);
    expect(mishandled(unclear.result, unclear.elapsedMs, 60_000, /no-such-message/)).toMatch(
      /^no clear message/,
    );
    const slow = await faultyRun({ kind: 'slow', afterRequests: 5, times: 1, delayMs: 2_500 }, '1h');
    expect(mishandled(slow.result, slow.elapsedMs, 2_000, /engine/)).toMatch(/^took/);
    const traced = {
      ...unclear.result,
      stderr: `${unclear.result.stderr}\n    at run (src/cli/cli.ts:10:5)\n`,
    };
    expect(mishandled(traced, 0, 60_000, /engine returned an error/)).toBe('stack trace in the output');
  }, 90_000);

  it.each([
    [
      'dropped connection',
      { kind: 'drop', afterRequests: 10 },
      /failed after .*: lost the connection to the Dagger engine/,
    ],
    [
      'HTTP 500',
      { kind: 'http500', afterRequests: 10 },
      /failed after .*: the Dagger engine returned an error/,
    ],
    ['slow answers', { kind: 'slow', afterRequests: 10, delayMs: 60_000 }, /did not finish within 2s/],
  ] as const)(
    '%s mid-run → exit 1 with a clear message, within the stage timeout',
    async (_, fault, message) => {
      const { result, elapsedMs, manifest } = await faultyRun(fault);
      expect(mishandled(result, elapsedMs, TIMEOUT_MS + MARGIN_MS, message)).toBeUndefined();
      const statuses = Object.values(manifest.stages).map((s) => s.status);
      expect(statuses).toContain('failed');
      expect(statuses).not.toContain('started');
    },
    60_000,
  );
});
