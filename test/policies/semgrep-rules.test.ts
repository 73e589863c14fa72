/**
 * The shipped offline Semgrep rules (`policies/semgrep/<set>.yaml`) and their annotated examples
 * (`policies/semgrep/examples/<set>/<rule>.<ext>`). Semgrep is not installed on the development machines, so
 * this checks the documented rule shape (https://semgrep.dev/docs/writing-rules/rule-syntax) and the test
 * annotations `semgrep --test` reads (https://semgrep.dev/docs/writing-rules/testing-rules), and runs the
 * plain-regex rules against their examples. The README ("SAST rules") says how to run `semgrep --test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILTIN_RULE_SETS } from '../../src/core/config/scan.ts';
import { semgrepSeverity } from '../../src/core/security/semgrep.ts';
import { REPO_ROOT } from '../stages/support.ts';
import { exampleFiles, readExample, regexFindingLines, toJsRegExp } from './semgrep-examples.ts';

const dir = join(REPO_ROOT, 'policies/semgrep');
const examplesDir = join(dir, 'examples');
const setFiles = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

type Rule = Record<string, unknown> & { id: string; severity: string; languages: string[]; message: string };
const sets = setFiles.map((f) => {
  const doc = parse(readFileSync(join(dir, f), 'utf8')) as { rules: Rule[] };
  return { name: basename(f, '.yaml'), keys: Object.keys(doc), rules: doc.rules };
});
const rules = sets.flatMap((s) => s.rules.map((rule) => ({ set: s.name, rule })));
const examples = exampleFiles(examplesDir).map((path) => readExample(examplesDir, path));

// The id prefix of each set, and the file extensions Semgrep reads for its languages (rule-syntax docs,
// "Language extensions and languages key values"; generic rules read any file).
const PREFIX: Record<string, string> = { javascript: 'js' };
const EXTENSIONS: Record<string, RegExp> = {
  generic: /\.[a-z]+$/,
  dockerfile: /\.dockerfile$/,
  javascript: /\.(js|ts)$/,
  python: /\.py$/,
  go: /\.go$/,
  java: /\.java$/,
};
const LANGUAGES: Record<string, string[]> = { javascript: ['javascript', 'typescript'] };
const RULE_KEYS = new Set(['id', 'languages', 'severity', 'message', 'metadata', 'options', 'paths', 'mode']);
const MATCHERS = ['pattern', 'patterns', 'pattern-either', 'pattern-regex'];
const TAINT = ['pattern-sources', 'pattern-sinks', 'pattern-sanitizers'];
const OPERATORS = new Set([
  ...MATCHERS,
  'pattern-not',
  'pattern-inside',
  'pattern-not-inside',
  'pattern-not-regex',
  'metavariable-regex',
  'metavariable-pattern',
  'focus-metavariable',
]);

/** Problems in one operator object (`{ pattern: … }`, `{ patterns: [...] }`, …), recursively. */
function operatorProblems(node: unknown, at: string): string[] {
  if (typeof node !== 'object' || node === null) return [`${at}: not an operator object`];
  const keys = Object.keys(node);
  const own = keys.filter((k) => OPERATORS.has(k));
  if (own.length !== 1 || keys.length !== 1) return [`${at}: one operator per item, got ${keys.join(', ')}`];
  const [key] = own as [string];
  const value = (node as Record<string, unknown>)[key];
  if (key === 'patterns' || key === 'pattern-either') {
    if (!Array.isArray(value) || value.length === 0) return [`${at}.${key}: a non-empty list`];
    return value.flatMap((item, i) => operatorProblems(item, `${at}.${key}[${i}]`));
  }
  if (key === 'metavariable-regex') {
    const { metavariable, regex, ...rest } = value as Record<string, unknown>;
    const ok = /^\$[A-Z_][A-Z0-9_]*$/.test(String(metavariable)) && typeof regex === 'string';
    return ok && Object.keys(rest).length === 0
      ? []
      : [`${at}: metavariable-regex needs metavariable and regex`];
  }
  if (key === 'metavariable-pattern') return [];
  return typeof value === 'string' && value.trim() !== '' ? [] : [`${at}.${key}: a non-empty string`];
}

/** Every string under `node` (pattern texts, regexes), with the key it sits under. */
function strings(node: unknown, key = ''): { key: string; value: string }[] {
  if (typeof node === 'string') return [{ key, value: node }];
  if (Array.isArray(node)) return node.flatMap((item) => strings(item, key));
  if (typeof node === 'object' && node !== null)
    return Object.entries(node).flatMap(([k, v]) => (k === 'metadata' ? [] : strings(v, k)));
  return [];
}

describe('shipped offline Semgrep rules', () => {
  it('has one file per built-in rule set gantry.yaml can name, each a plain `rules:` list', () => {
    expect(sets.map((s) => s.name).sort()).toEqual([...BUILTIN_RULE_SETS].sort());
    for (const set of sets) expect(set.keys).toEqual(['rules']);
  });

  it('has unique ids, each gantry.<set>.<name>', () => {
    const ids = rules.map((r) => r.rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { set, rule } of rules)
      expect(rule.id).toMatch(new RegExp(`^gantry\\.${PREFIX[set] ?? set}\\.[a-z0-9-]+$`));
  });

  it.each(rules.map((r) => [r.rule.id, r] as const))('%s has the documented shape', (_id, { set, rule }) => {
    const taint = rule.mode === 'taint';
    const unknown = Object.keys(rule).filter(
      (k) => !RULE_KEYS.has(k) && !MATCHERS.includes(k) && !TAINT.includes(k),
    );
    expect(unknown).toEqual([]);
    expect(rule.message.length).toBeGreaterThan(20);
    expect(rule.languages).toEqual(LANGUAGES[set] ?? [set]);
    expect(['ERROR', 'WARNING', 'INFO']).toContain(rule.severity);
    expect(semgrepSeverity(rule.severity)).not.toBe('UNKNOWN');
    if (taint) {
      expect(MATCHERS.filter((m) => m in rule)).toEqual([]);
      for (const key of ['pattern-sources', 'pattern-sinks'])
        expect((rule[key] as unknown[]).length).toBeGreaterThan(0);
      for (const key of TAINT) {
        const list = (rule[key] ?? []) as unknown[];
        expect(list.flatMap((item, i) => operatorProblems(item, `${key}[${i}]`))).toEqual([]);
      }
    } else {
      expect(rule.mode).toBeUndefined();
      const matchers = MATCHERS.filter((m) => m in rule);
      expect(matchers).toHaveLength(1);
      expect(operatorProblems({ [matchers[0] as string]: rule[matchers[0] as string] }, rule.id)).toEqual([]);
    }
  });

  it.each(rules.map((r) => [r.rule.id, r.rule] as const))(
    '%s has CWE, OWASP and public references',
    (_id, rule) => {
      const metadata = rule.metadata as {
        category: string;
        cwe: string[];
        owasp: string[];
        references: string[];
      };
      expect(metadata.category).toBe('security');
      expect(metadata.cwe.length).toBeGreaterThan(0);
      for (const cwe of metadata.cwe) expect(cwe).toMatch(/^CWE-\d+: \S/);
      for (const owasp of metadata.owasp) expect(owasp).toMatch(/^A(0[1-9]|10):2021 - \S/);
      for (const url of metadata.references) expect(url).toMatch(/^https:\/\/\S+$/);
      const first = /^CWE-(\d+)/.exec(metadata.cwe[0] as string)?.[1];
      expect(metadata.references).toContain(`https://cwe.mitre.org/data/definitions/${first}.html`);
    },
  );

  it.each(rules.map((r) => [r.rule.id, r.rule] as const))(
    '%s: regexes compile, metavariables are bound',
    (_id, rule) => {
      const all = strings(rule);
      for (const { key, value } of all.filter((s) => s.key === 'pattern-regex' || s.key === 'regex'))
        expect(() => toJsRegExp(value), `${key}: ${value}`).not.toThrow();
      const patternText = all
        .filter((s) => s.key.startsWith('pattern'))
        .map((s) => s.value)
        .join('\n');
      for (const { value } of all.filter((s) => s.key === 'metavariable'))
        expect(patternText).toContain(value);
    },
  );
});

describe('annotated examples of the shipped rules (what `semgrep --test` reads)', () => {
  it('are well-formed: each annotation right above its line, nothing that Semgrep would misread', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.flatMap((e) => e.problems)).toEqual([]);
  });

  it('sit in a folder named after a rule set, with an extension Semgrep reads for its languages', () => {
    for (const { path } of examples) {
      const [set, file] = path.split('/') as [string, string];
      expect(BUILTIN_RULE_SETS as readonly string[]).toContain(set);
      expect(file, path).toMatch(EXTENSIONS[set] as RegExp);
    }
  });

  it('name only rules of their own set, and every id they name has a finding there', () => {
    // pysemgrep fails a file whose annotated ids differ from the ids reported in it ("rule id mismatch",
    // cli/src/semgrep/test.py check_rule_id_mismatch), so an `ok:` id needs a `ruleid:` in the same file.
    for (const example of examples) {
      const set = example.path.split('/')[0];
      const ids = new Set(rules.filter((r) => r.set === set).map((r) => r.rule.id));
      const named = new Set(example.annotations.map((a) => a.id));
      const positive = new Set(example.annotations.filter((a) => a.kind === 'ruleid').map((a) => a.id));
      for (const id of named) {
        expect(ids.has(id), `${example.path} names ${id}`).toBe(true);
        expect(positive.has(id), `${example.path}: ${id} has ok: but no ruleid:`).toBe(true);
      }
    }
  });

  it.each(rules.map((r) => [r.rule.id, r] as const))(
    '%s has its own example with ruleid: and ok: lines',
    (_id, { set, rule }) => {
      const name = rule.id.split('.').at(-1) as string;
      const own = examples.find((e) => e.path.startsWith(`${set}/${name}.`));
      expect(own, `examples/${set}/${name}.*`).toBeDefined();
      const kinds = own?.annotations.filter((a) => a.id === rule.id).map((a) => a.kind);
      expect(kinds).toContain('ruleid');
      expect(kinds).toContain('ok');
    },
  );

  it('every example file belongs to one rule', () => {
    for (const { path } of examples) {
      const [set, file] = path.split('/') as [string, string];
      const name = file.split('.')[0];
      expect(
        rules.map((r) => r.rule.id),
        path,
      ).toContain(`gantry.${PREFIX[set] ?? set}.${name}`);
    }
  });

  // The regex rules need no parser, so their `semgrep --test` outcome can be computed here: for every example
  // of the set, the lines the rule reports must be exactly its `ruleid:` lines.
  const regexRules = rules.filter((r) => typeof r.rule['pattern-regex'] === 'string');
  it.each(regexRules.map((r) => [r.rule.id, r] as const))(
    '%s reports exactly its ruleid: lines',
    (_id, { set, rule }) => {
      for (const example of examples.filter((e) => e.path.startsWith(`${set}/`))) {
        const expected = example.annotations
          .filter((a) => a.id === rule.id && a.kind === 'ruleid')
          .map((a) => a.line);
        expect(regexFindingLines(rule['pattern-regex'] as string, example.text), example.path).toEqual(
          expected,
        );
      }
    },
  );
});
