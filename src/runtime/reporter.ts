/**
 * Prints a run as its CI platform shows it best: each stage's lines buffered and printed as one folded
 * section when the stage ends (stages run concurrently, so live lines would interleave), heartbeat lines
 * outside the sections while a stage runs long, and annotations within the platform's limits.
 */
import type { Annotation, LogAdapter } from '../core/platforms/index.ts';
import { limitAnnotations } from '../core/platforms/types.ts';
import { type EventFormatters, renderEvent } from './render.ts';
import type { StageEvent } from './types.ts';

/** Options of {@link createReporter}. */
export interface ReporterOptions {
  /** Interval of the "still running" lines. @default 30 s */
  heartbeatMs?: number;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** Formatters that replace the default ones for some kinds. @default none */
  formatters?: Partial<EventFormatters>;
}

/** What the run calls: stage lines, events, annotations at the end, and close. */
export interface Reporter {
  log(stage: string, line: string): void;
  onEvent(event: StageEvent): void;
  /** Prints the annotations (the first ones in full), and returns how many were only counted. */
  annotate(annotations: readonly Annotation[]): number;
  /** Stops the heartbeat and prints what is still buffered. */
  close(): void;
}

const elapsed = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
};

/** A reporter printing through `print` in the form of `adapter`. */
export function createReporter(
  adapter: LogAdapter,
  print: (line: string) => void,
  options: ReporterOptions = {},
): Reporter {
  const { heartbeatMs = 30_000, now = () => new Date(), formatters } = options;
  const running = new Map<string, { startedAt: Date; lines: string[] }>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const heartbeat = () => {
    const at = now().getTime();
    for (const [stage, s] of running)
      if (at - s.startedAt.getTime() >= heartbeatMs)
        print(`… ${stage} still running (${elapsed(at - s.startedAt.getTime())})`);
  };
  const flush = (stage: string, header: string) => {
    const state = running.get(stage);
    running.delete(stage);
    if (running.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
    if (!adapter.folds || !state) return print(header);
    for (const line of adapter.section({
      stage,
      header,
      lines: state.lines,
      startedAt: state.startedAt,
      endedAt: now(),
    }))
      print(line);
  };
  return {
    log(stage, line) {
      const state = running.get(stage);
      if (adapter.folds && state) state.lines.push(line);
      else print(`  [${stage}] ${line}`);
    },
    onEvent(event) {
      const text = renderEvent(event, formatters);
      if (event.kind === 'started') {
        running.set(event.stage, { startedAt: now(), lines: [] });
        if (timer === undefined) {
          timer = setInterval(heartbeat, heartbeatMs);
          timer.unref?.();
        }
        print(text);
        return;
      }
      flush(event.stage, text);
    },
    annotate(annotations) {
      const { shown, hidden } = limitAnnotations(annotations, adapter.annotationLimit);
      for (const a of shown) print(adapter.annotation(a));
      const counted = hidden.error + hidden.warning + hidden.notice;
      if (counted > 0)
        print(
          `gantry: ${counted} more finding(s) not annotated (${hidden.error} error, ${hidden.warning} warning, ${hidden.notice} notice): ` +
            `${adapter.name} shows ${adapter.annotationLimit} per level per step; all are in out/reports/`,
        );
      return counted;
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      for (const stage of [...running.keys()]) flush(stage, `… ${stage} did not finish`);
    },
  };
}
