import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { semgrepSeverity } from '../../../src/core/security/semgrep.ts';
import { repoRoot } from './helpers.ts';

const dir = join(repoRoot, 'policies/semgrep');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const matchers = ['pattern', 'patterns', 'pattern-either', 'pattern-regex'];

type Rule = Record<string, unknown> & { id: string; severity: string; languages: string[]; message: string };

// Semgrep itself is not installed on the development machines: this checks the documented rule shape.
describe('shipped offline Semgrep rules', () => {
  it('exist', () => expect(files.length).toBeGreaterThan(0));
  const rules = files.flatMap((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { rules: Rule[] }).rules);

  it('have unique ids in the gantry namespace', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^gantry\.[a-z]+\.[a-z0-9-]+$/);
  });

  it.each(rules.map((r) => [r.id, r] as const))(
    '%s has a message, languages, one matcher and a known severity',
    (_id, rule) => {
      expect(rule.message.length).toBeGreaterThan(20);
      expect(rule.languages.length).toBeGreaterThan(0);
      expect(matchers.filter((m) => m in rule)).toHaveLength(1);
      expect(['ERROR', 'WARNING', 'INFO']).toContain(rule.severity);
      expect(semgrepSeverity(rule.severity)).not.toBe('UNKNOWN');
    },
  );

  it('regex rules compile', () => {
    for (const rule of rules) {
      if (typeof rule['pattern-regex'] === 'string')
        expect(() => new RegExp(rule['pattern-regex'] as string)).not.toThrow();
    }
  });
});
