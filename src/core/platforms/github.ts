/**
 * GitHub Actions output: `::group::`/`::endgroup::` per stage and `::error file=…,line=…,title=…::message`
 * annotations (workflow commands, https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 * Escaping follows actions/toolkit packages/core/src/command.ts: data escapes `%`, `\r`, `\n`; properties also
 * `:` and `,`. GitHub shows 10 error, 10 warning and 10 notice annotations per step (actions/toolkit
 * docs/problem-matchers.md, "Limitations"); the rest are counted instead.
 */
import type { Annotation, LogAdapter } from './types.ts';

/** Escapes workflow-command data (toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property value (toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Lines a stage logs must not be read as workflow commands: `::` at the start is broken up. */
const inert = (line: string) => (line.startsWith('::') ? ` ${line}` : line);

/** The GitHub Actions adapter. */
export const githubAdapter: LogAdapter = {
  name: 'github',
  folds: true,
  annotationLimit: 10,
  section: ({ header, lines }) => [
    `::group::${escapeData(header.split('\n')[0] ?? '')}`,
    ...lines.map(inert),
    '::endgroup::',
  ],
  annotation(a: Annotation): string {
    const properties = [
      ['title', a.title],
      ['file', a.file],
      ['line', a.line === undefined ? undefined : String(a.line)],
    ]
      .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
      .map(([k, v]) => `${k}=${escapeProperty(v)}`)
      .join(',');
    return `::${a.level}${properties ? ` ${properties}` : ''}::${escapeData(a.message)}`;
  },
};
