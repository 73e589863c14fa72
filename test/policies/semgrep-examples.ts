/**
 * Reads the annotated example files of the shipped Semgrep rules the way `semgrep --test` does, and runs the
 * plain-regex rules in JavaScript (Semgrep itself is not installed on the development machines).
 *
 * Annotation format (https://semgrep.dev/docs/writing-rules/testing-rules): a comment `ruleid: <id>` or
 * `ok: <id>` on the line immediately before the line it is about. pysemgrep looks for `#ruleid`, `# ruleid`,
 * `//ruleid`, `// ruleid` (and the same for ok/todo) anywhere in a line (cli/src/semgrep/test.py,
 * `_annotations`); osemgrep for the regex `\b(ruleid|ok|todoruleid|todook):[ \t]*([^ \t]+)` anywhere in a line
 * (src/osemgrep/cli_test/Test_subcommand.ml, `annotation_regex`). Both compare the line after the annotation
 * with the start line of each finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `ruleid:` / `ok:` annotation, with the 1-based line it is about. */
export interface Annotation {
  kind: 'ruleid' | 'ok';
  id: string;
  line: number;
}

/** An example file and what is wrong with its annotations, if anything. */
export interface ExampleFile {
  /** Path relative to the examples folder: `<set>/<name>.<ext>`. */
  path: string;
  text: string;
  annotations: Annotation[];
  problems: string[];
}

const WELL_FORMED = /^\s*(#|\/\/) (ruleid|ok): (\S+)\s*$/;
const OSEMGREP = /\b(ruleid|ok|todoruleid|todook):[ \t]*([^ \t]+)/;
const PYSEMGREP = /(#|\/\/|<!--|\(\*) ?(ruleid|ok|todoruleid|todook)/;

/** Parses the annotations of one example file; `problems` lists lines either Semgrep would misread. */
export function readExample(root: string, path: string): ExampleFile {
  const text = readFileSync(join(root, path), 'utf8');
  const lines = text.split('\n');
  const annotations: Annotation[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const looksLikeOne = OSEMGREP.test(line) || PYSEMGREP.test(line);
    if (!looksLikeOne) return;
    const match = WELL_FORMED.exec(line);
    const next = lines[i + 1] ?? '';
    if (!match)
      problems.push(`${path}:${i + 1}: reads as an annotation but is not "# ruleid: <id>" / "// ok: <id>"`);
    else if (next.trim() === '' || OSEMGREP.test(next))
      problems.push(`${path}:${i + 1}: an annotation must sit right above the line it is about`);
    else annotations.push({ kind: match[2] as Annotation['kind'], id: match[3] as string, line: i + 2 });
  });
  return { path, text, annotations, problems };
}

/** Every example file under `root`, as `<set>/<file>`. */
export function exampleFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
}

/**
 * A Semgrep regex (PCRE) as a JavaScript RegExp. Semgrep runs `pattern-regex` in multiline mode
 * (https://semgrep.dev/docs/writing-rules/rule-syntax, "pattern-regex"); a leading inline flag group such as
 * `(?i)` becomes a RegExp flag. Inline groups elsewhere are not portable and throw.
 */
export function toJsRegExp(pcre: string, flags = 'gm'): RegExp {
  const lead = /^\(\?([imsx]+)\)/.exec(pcre);
  const body = lead ? pcre.slice(lead[0].length) : pcre;
  if (/\(\?[imsx-]+\)/.test(body)) throw new Error(`inline flags after the start are not portable: ${pcre}`);
  const extra = (lead?.[1] ?? '').replace(/[mx]/g, '');
  return new RegExp(body, [...new Set(flags + extra)].join(''));
}

/** The 1-based start lines where a `pattern-regex` rule reports findings in `text`. */
export function regexFindingLines(pcre: string, text: string): number[] {
  const lines = [...text.matchAll(toJsRegExp(pcre))].map((m) => text.slice(0, m.index).split('\n').length);
  return [...new Set(lines)].sort((a, b) => a - b);
}
