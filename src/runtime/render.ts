import type { RunSummary, StageEvent } from './types.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One terminal line per event: one formatter per kind. */
export function renderEvent(event: StageEvent): string {
  switch (event.kind) {
    case 'started':
      return `▶ ${event.stage}`;
    case 'passed':
      return `✔ ${event.stage} passed in ${seconds(event.durationMs)}${event.message ? ` — ${event.message}` : ''}`;
    case 'failed':
      return `✖ ${event.stage} failed after ${seconds(event.durationMs)}${event.always ? ' (always stage: reported, the exit code stays)' : ''}: ${event.message}${event.hint ? `\n  fix: ${event.hint}` : ''}`;
    case 'blocked':
      return `⛔ ${event.stage} blocked by policy: ${event.message}${event.hint ? `\n  fix: ${event.hint}` : ''}`;
    case 'skipped':
      return `○ ${event.stage} skipped: ${event.reason}`;
  }
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
