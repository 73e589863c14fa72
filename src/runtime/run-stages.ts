import { ExitCode, exitCodeOf, formatError, GantryError, StageError } from '../core/errors.ts';
import { NEEDS, type StageName } from '../core/graph.ts';
import { fromEngineError } from '../dagger/engine-errors.ts';
import type { RunSummary, StageContext, StageEvent, StageRegistry } from './types.ts';

/** Options of {@link runStages}. */
export interface RunStagesOptions {
  /** Per-stage time limit in milliseconds. @default 30 minutes */
  timeoutMs?: number;
  /** Called for every event, as it happens. @default ignore */
  onEvent?: (event: StageEvent) => void;
  /** Cancels the whole run (SIGINT, SIGTERM). @default never */
  signal?: AbortSignal;
  /** Records a finished stage (in the manifest). @default nothing */
  record?: (event: StageEvent, startedAt: Date) => Promise<void>;
}

type Outcome = 'passed' | 'failed' | 'blocked' | 'skipped';

/**
 * Runs the selected stages, each as soon as the selected stages it needs have passed; independent stages
 * run concurrently. The first failure cancels the rest (fail fast). Stages not selected are taken as done
 * by an earlier run: what they produced comes from the manifest.
 */
export async function runStages(
  selected: readonly StageName[],
  stages: StageRegistry,
  base: Omit<StageContext, 'signal' | 'log'> & { log: (stage: StageName, line: string) => void },
  options: RunStagesOptions = {},
): Promise<RunSummary> {
  const { timeoutMs = 30 * 60_000, onEvent = () => {}, signal: outer, record = async () => {} } = options;
  const cancel = new AbortController();
  const onOuterAbort = () => cancel.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const events: StageEvent[] = [];
  const emit = (event: StageEvent) => {
    events.push(event);
    onEvent(event);
  };
  const started = performance.now();
  const outcomes = new Map<StageName, Promise<Outcome>>();

  const runOne = async (stage: StageName): Promise<Outcome> => {
    const needs = NEEDS[stage].filter((n) => selected.includes(n));
    const results = await Promise.all(
      needs.map((n) => outcomes.get(n) ?? Promise.resolve<Outcome>('passed')),
    );
    const unmet = needs.find((_, i) => results[i] !== 'passed');
    if (unmet !== undefined || cancel.signal.aborted) {
      const reason = unmet !== undefined ? `needs ${unmet}, which did not pass` : cancelReason(cancel.signal);
      const event: StageEvent = { kind: 'skipped', stage, reason };
      await record(event, new Date()).catch(() => {});
      emit(event);
      return 'skipped';
    }
    emit({ kind: 'started', stage });
    const startedAt = new Date();
    const t0 = performance.now();
    const stageAbort = new AbortController();
    const onCancel = () => stageAbort.abort(cancel.signal.reason);
    cancel.signal.addEventListener('abort', onCancel, { once: true });
    const timer = setTimeout(() => stageAbort.abort(timeoutError(stage, timeoutMs)), timeoutMs);
    try {
      const ctx: StageContext = { ...base, signal: stageAbort.signal, log: (line) => base.log(stage, line) };
      const output = await untilAborted(stages[stage](ctx), stageAbort.signal);
      const event: StageEvent = {
        kind: 'passed',
        stage,
        durationMs: performance.now() - t0,
        message: output?.message,
      };
      await record(event, startedAt);
      emit(event);
      return 'passed';
    } catch (thrown) {
      let error = thrown;
      if (error === cancel.signal.reason) {
        const event: StageEvent = { kind: 'skipped', stage, reason: cancelReason(cancel.signal) };
        await record(event, startedAt).catch(() => {});
        emit(event);
        return 'skipped';
      }
      error = fromEngineError(error);
      const exitCode = exitCodeOf(error);
      const blocked = exitCode === ExitCode.blocked;
      const event: StageEvent = {
        kind: blocked ? 'blocked' : 'failed',
        stage,
        durationMs: performance.now() - t0,
        message: error instanceof GantryError ? error.message : formatError(error, false),
        hint: error instanceof GantryError ? error.hint : undefined,
        exitCode,
      };
      if (!cancel.signal.aborted)
        cancel.abort(new StageError('CANCELLED', `cancelled because ${stage} did not pass`));
      await record(event, startedAt).catch(() => {});
      emit(event);
      return blocked ? 'blocked' : 'failed';
    } finally {
      clearTimeout(timer);
      cancel.signal.removeEventListener('abort', onCancel);
    }
  };

  try {
    for (const stage of selected) outcomes.set(stage, runOne(stage));
    await Promise.all(outcomes.values());
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  return { events, exitCode: summaryExitCode(events, outer), durationMs: performance.now() - started };
}

/** The exit code of a run: that of the first stage that failed or was blocked, else 0. */
function summaryExitCode(events: readonly StageEvent[], outer: AbortSignal | undefined): number {
  const first = events.find((e) => e.kind === 'failed' || e.kind === 'blocked');
  if (first && (first.kind === 'failed' || first.kind === 'blocked')) return first.exitCode;
  if (outer?.aborted) return exitCodeOf(outer.reason);
  return ExitCode.ok;
}

function cancelReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'cancelled';
}

function timeoutError(stage: StageName, ms: number): StageError {
  return new StageError('STAGE_TIMEOUT', `${stage} did not finish within ${Math.round(ms / 1000)}s`, {
    hint: 'raise stageTimeout in gantry.yaml, or look at the engine log for a step that hangs',
  });
}

/** Resolves with the promise, or rejects with the signal's reason as soon as it is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
