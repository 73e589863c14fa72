/**
 * Stage timings as a Mermaid Gantt chart, for the Markdown run summary (GitHub renders ```mermaid blocks in
 * step summaries and Markdown files). Works over any list of stages: the chart knows no stage names.
 * Syntax: https://mermaid.js.org/syntax/gantt.html; the test parses the output with Mermaid itself.
 */

/** One stage's timing, as the run manifest records it. */
export interface StageTiming {
  /** Stage name. */
  name: string;
  /** The phase the stage belongs to; one chart section per phase. */
  phase: string;
  /** passed → `done`, failed or blocked → `crit`, skipped → left out (it did not run), anything else → `active`. */
  status: string;
  /** When the stage started (ISO 8601 or a Date). */
  startedAt: string | Date;
  durationMs: number;
}

const tags: Record<string, string> = { passed: 'done', failed: 'crit', blocked: 'crit' };

/**
 * Words the Gantt lexer reads as statements when a line starts with them (mermaid 11 gantt.jison: dateFormat,
 * section, title, click, excludes …, a `%` comment, a YYYY-MM-DD date); a label starting with one gets its
 * first character written as an entity so that it stays a task.
 */
const statementStart =
  /^(acc|axisformat|call|click|dateformat|excludes|gantt|href|includes|inclusiveenddates|section|tickinterval|title|todaymarker|topaxis|weekday|weekend|%|\d{4}-\d\d-\d\d)/i;

/**
 * Text safe in a task or section label: letters, digits, space and `-_./` are kept, any other character
 * becomes a Mermaid entity code (`#58;` for `:`), which Mermaid shows as the character itself.
 */
export function mermaidLabel(text: string): string {
  const entity = (c: string) => `#${c.codePointAt(0)};`;
  const label = [...text.replace(/\s+/g, ' ').trim().slice(0, 80)]
    .map((c) => (/[\p{L}\p{N} _./-]/u.test(c) ? c : entity(c)))
    .join('');
  if (label === '') return 'unnamed';
  const first = label[0] ?? '';
  return statementStart.test(label) ? entity(first) + label.slice(1) : label;
}

/**
 * A Mermaid `gantt` chart of the stages that ran: `dateFormat x` (milliseconds since the epoch), one section
 * per phase in order of first start, one task per stage in order of start. Returns '' when no stage ran.
 */
export function ganttChart(stages: readonly StageTiming[]): string {
  const timed = stages
    .filter((s) => s.status !== 'skipped')
    .map((s) => ({ ...s, start: new Date(s.startedAt).getTime() }))
    .filter((s) => Number.isFinite(s.start))
    .sort((a, b) => a.start - b.start);
  if (timed.length === 0) return '';
  const phases = [...new Set(timed.map((s) => s.phase))];
  const lines = ['gantt', '  dateFormat x', '  axisFormat %H:%M:%S'];
  for (const phase of phases) {
    lines.push(`  section ${mermaidLabel(phase)}`);
    for (const s of timed.filter((t) => t.phase === phase)) {
      const end = s.start + Math.max(0, Math.round(s.durationMs));
      const tag = tags[s.status] ?? 'active';
      lines.push(`  ${mermaidLabel(s.name)} :${tag}, t${timed.indexOf(s)}, ${s.start}, ${end}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
