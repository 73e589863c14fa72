import { ExitCode, exitCodeOf, formatError, GantryError, StageError } from '../core/errors.ts';
import type { StageGraph } from '../core/graph.ts';
import { fromEngineError } from '../dagger/engine-errors.ts';
import type { RunOutcome, StageContext, StageDefinition } from './define.ts';
import type { RunSummary, StageEvent } from './types.ts';

/** Options of {@link runStages}. */
export interface RunStagesOptions {
  /** Time limit of a stage that sets none, in milliseconds. @default 30 minutes */
  timeoutMs?: number;
  /** Parses a stage's own `timeout` (e.g. `90s`) to milliseconds. @default seconds only */
  parseTimeout?: (text: string) => number;
  /** Called for every event, as it happens. @default ignore */
  onEvent?: (event: StageEvent) => void;
  /** Cancels the whole run (SIGINT, SIGTERM). @default never */
  signal?: AbortSignal;
  /** Records a finished stage and its validated output (in the manifest). @default nothing */
  record?: (event: StageEvent, startedAt: Date, output: unknown) => Promise<void>;
  /** Each stage's status from earlier phases of the run (the manifest), for `always` stages. @default {} */
  earlier?: Readonly<Record<string, 'passed' | 'failed' | 'blocked' | 'skipped'>>;
}

/** What every stage's context shares; the runner adds the stage's own name, signal, log and outcome. */
export type BaseContext = Omit<StageContext, 'stage' | 'signal' | 'log' | 'outcome'> & {
  log: (stage: string, line: string) => void;
};

type Outcome = 'passed' | 'failed' | 'blocked' | 'skipped';

/**
 * Runs the selected stages of a graph, each as soon as the selected stages it needs have passed; independent
 * stages run concurrently. The first failure cancels the rest (fail fast). Stages not selected are taken as
 * done by an earlier run: what they produced comes from the manifest. `always` stages run after all the
 * others, whatever happened; they see the outcome, and their failure never changes the exit code.
 */
export async function runStages(
  graph: StageGraph<StageDefinition>,
  selected: readonly string[],
  base: BaseContext,
  options: RunStagesOptions = {},
): Promise<RunSummary> {
  const {
    timeoutMs = 30 * 60_000,
    parseTimeout = (t) => Number.parseInt(t, 10) * 1000,
    onEvent = () => {},
    signal: outer,
    record = async () => {},
    earlier = {},
  } = options;
  const cancel = new AbortController();
  const onOuterAbort = () => cancel.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const events: StageEvent[] = [];
  const emit = (event: StageEvent) => {
    events.push(event);
    onEvent(event);
  };
  const started = performance.now();
  const outcomes = new Map<string, Promise<Outcome>>();
  let outcome: RunOutcome | undefined;

  const skip = async (stage: string, reason: string, startedAt = new Date()): Promise<Outcome> => {
    const event: StageEvent = { kind: 'skipped', stage, reason };
    await record(event, startedAt, undefined).catch(() => {});
    emit(event);
    return 'skipped';
  };

  const attempt = async (
    stage: StageDefinition,
    signal: AbortSignal,
  ): Promise<{ message?: string | undefined; output: unknown }> => {
    const ctx: StageContext = {
      ...base,
      stage: stage.name,
      signal,
      log: (line) => base.log(stage.name, line),
      outcome,
    };
    const result = (await untilAborted(stage.run(ctx), signal)) ?? {};
    return { message: result.message, output: checkOutput(stage, result.output) };
  };

  const runOne = async (stage: StageDefinition): Promise<Outcome> => {
    const needs = stage.needs.filter((n) => selected.includes(n));
    const results = await Promise.all(
      needs.map((n) => outcomes.get(n) ?? Promise.resolve<Outcome>('passed')),
    );
    const unmet = needs.find((_, i) => results[i] !== 'passed');
    if (unmet !== undefined) return skip(stage.name, `needs ${unmet}, which did not pass`);
    if (cancel.signal.aborted && !stage.always) return skip(stage.name, cancelReason(cancel.signal));
    if (outer?.aborted) return skip(stage.name, cancelReason(outer));
    emit({ kind: 'started', stage: stage.name });
    const startedAt = new Date();
    const t0 = performance.now();
    const limit = stage.timeout ? parseTimeout(stage.timeout) : timeoutMs;
    const retries = stage.retries ?? 0;
    for (let n = 0; ; n += 1) {
      const stageAbort = new AbortController();
      // always stages are not cancelled by another stage's failure, only by the user.
      const trigger = stage.always ? outer : cancel.signal;
      const onCancel = () => stageAbort.abort(trigger?.reason);
      if (trigger?.aborted) onCancel();
      trigger?.addEventListener('abort', onCancel, { once: true });
      const timer = setTimeout(() => stageAbort.abort(timeoutError(stage.name, limit)), limit);
      try {
        const { message, output } = await attempt(stage, stageAbort.signal);
        const event: StageEvent = {
          kind: 'passed',
          stage: stage.name,
          durationMs: performance.now() - t0,
          message,
        };
        await record(event, startedAt, output);
        emit(event);
        return 'passed';
      } catch (thrown) {
        if (thrown === cancel.signal.reason || (stage.always && thrown === outer?.reason)) {
          return skip(stage.name, cancelReason(stageAbort.signal), startedAt);
        }
        const error = fromEngineError(thrown);
        const exitCode = exitCodeOf(error);
        if (exitCode === ExitCode.stageFailed && n < retries && !stageAbort.signal.aborted) {
          base.log(
            stage.name,
            `failed (${error instanceof Error ? error.message.split('\n')[0] : 'error'}); retry ${n + 1} of ${retries}`,
          );
          continue;
        }
        const blocked = exitCode === ExitCode.blocked;
        const event: StageEvent = {
          kind: blocked ? 'blocked' : 'failed',
          stage: stage.name,
          durationMs: performance.now() - t0,
          message: error instanceof GantryError ? error.message : formatError(error, false),
          hint: error instanceof GantryError ? error.hint : undefined,
          exitCode,
          ...(stage.always ? { always: true } : {}),
        };
        if (!stage.always && !cancel.signal.aborted) {
          cancel.abort(new StageError('CANCELLED', `cancelled because ${stage.name} did not pass`));
        }
        await record(event, startedAt, undefined).catch(() => {});
        emit(event);
        return blocked ? 'blocked' : 'failed';
      } finally {
        clearTimeout(timer);
        trigger?.removeEventListener('abort', onCancel);
      }
    }
  };

  try {
    const chosen = graph.stages.filter((s) => selected.includes(s.name));
    for (const stage of chosen.filter((s) => !s.always)) outcomes.set(stage.name, runOne(stage));
    await Promise.all(outcomes.values());
    const finals = chosen.filter((s) => s.always);
    if (finals.length > 0) {
      outcome = runOutcome(events, earlier, outer);
      for (const stage of finals) outcomes.set(stage.name, runOne(stage));
      await Promise.all(finals.map((s) => outcomes.get(s.name)));
    }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  return { events, exitCode: summaryExitCode(events, outer), durationMs: performance.now() - started };
}

/** Validates a stage's output against its schema; a stage that breaks its own contract fails (exit 1). */
function checkOutput(stage: StageDefinition, output: unknown): unknown {
  if (!stage.output) {
    if (output === undefined) return undefined;
    try {
      return JSON.parse(JSON.stringify(output));
    } catch (cause) {
      throw new StageError(
        'STAGE_OUTPUT_INVALID',
        `stage ${stage.name} returned an output that is not JSON`,
        {
          cause,
          hint: 'return plain data (strings, numbers, lists, objects) as output',
        },
      );
    }
  }
  const result = stage.output.safeParse(output);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  output.${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new StageError(
    'STAGE_OUTPUT_INVALID',
    `stage ${stage.name} returned an output that breaks its schema:\n${lines.join('\n')}`,
    {
      hint: `return an output that passes the stage's \`output\` schema (a replacement must satisfy the contract of the stage it replaces)`,
    },
  );
}

function runOutcome(
  events: readonly StageEvent[],
  earlier: Readonly<Record<string, 'passed' | 'failed' | 'blocked' | 'skipped'>>,
  outer: AbortSignal | undefined,
): RunOutcome {
  const stages: Record<string, 'passed' | 'failed' | 'blocked' | 'skipped'> = { ...earlier };
  for (const e of events) if (e.kind !== 'started') stages[e.stage] = e.kind;
  const exitCode = summaryExitCode(events, outer);
  const first = events.find((e) => e.kind === 'failed' || e.kind === 'blocked');
  const status = first?.kind ?? (outer?.aborted ? 'cancelled' : 'passed');
  return { status, exitCode, stages };
}

/** The exit code of a run: that of the first stage (not an `always` one) that failed or was blocked, else 0. */
function summaryExitCode(events: readonly StageEvent[], outer: AbortSignal | undefined): number {
  const first = events.find((e) => (e.kind === 'failed' || e.kind === 'blocked') && !e.always);
  if (first && (first.kind === 'failed' || first.kind === 'blocked')) return first.exitCode;
  if (outer?.aborted) return exitCodeOf(outer.reason);
  return ExitCode.ok;
}

function cancelReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'cancelled';
}

function timeoutError(stage: string, ms: number): StageError {
  return new StageError('STAGE_TIMEOUT', `${stage} did not finish within ${Math.round(ms / 1000)}s`, {
    hint: "raise the stage's timeout (or stageTimeout in gantry.yaml), or look at the engine log for a step that hangs",
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
