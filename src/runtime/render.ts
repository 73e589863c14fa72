import type { RunSummary, StageEvent } from './types.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One formatter per event kind (typed with `Extract<>`); a CI adapter can replace some. */
export type EventFormatters = {
  [K in StageEvent['kind']]: (event: Extract<StageEvent, { kind: K }>) => string;
};

/** The terminal formatters. */
export const EVENT_FORMATTERS: EventFormatters = {
  started: (e) => `▶ ${e.stage}`,
  passed: (e) => `✔ ${e.stage} passed in ${seconds(e.durationMs)}${e.message ? ` — ${e.message}` : ''}`,
  failed: (e) =>
    `✖ ${e.stage} failed after ${seconds(e.durationMs)}${e.always ? ' (always stage: reported, the exit code stays)' : ''}: ${e.message}${e.hint ? `\n  fix: ${e.hint}` : ''}`,
  blocked: (e) => `⛔ ${e.stage} blocked by policy: ${e.message}${e.hint ? `\n  fix: ${e.hint}` : ''}`,
  skipped: (e) => `○ ${e.stage} skipped: ${e.reason}`,
};

/** One terminal line per event, through the formatter of its kind (`overrides` first). */
export function renderEvent(event: StageEvent, overrides: Partial<EventFormatters> = {}): string {
  const format = (overrides[event.kind] ?? EVENT_FORMATTERS[event.kind]) as (e: StageEvent) => string;
  return format(event);
}

/** The final lines of a run: a row per stage and the verdict with its exit code. */
export function renderSummary(summary: RunSummary): string {
  const finals = summary.events.filter((e) => e.kind !== 'started');
  const rows = finals.map((e) => {
    const time = 'durationMs' in e ? seconds(e.durationMs) : '-';
    return `  ${e.stage.padEnd(18)} ${e.kind.padEnd(8)} ${time}`;
  });
  const verdict = summary.exitCode === 0 ? 'run passed' : `run did not pass (exit ${summary.exitCode})`;
  return ['', 'Summary:', ...rows, `${verdict} in ${seconds(summary.durationMs)}`].join('\n');
}
