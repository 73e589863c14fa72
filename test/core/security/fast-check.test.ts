import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileCheck, fastParse } from '../../../src/core/security/fast-check.ts';
import { trivyReportSchema } from '../../../src/core/security/trivy.ts';
import { fixtureFiles, readJson, trivyReport, vuln } from './helpers.ts';

const check = compileCheck(trivyReportSchema);

const samples: [string, unknown][] = [
  ...fixtureFiles('trivy', '.json').map((f) => [f, readJson(f)] as [string, unknown]),
  ['no results', { SchemaVersion: 2 }],
  ['null vulnerabilities', trivyReport([{ Target: 'a', Vulnerabilities: null }])],
  ['good vuln', trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }])],
  ['schema 1', { SchemaVersion: 1 }],
  ['numeric target', trivyReport([{ Target: 1 }])],
  ['numeric package', trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ PkgName: 5 })] }])],
  ['reference not a string', trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ References: [1] })] }])],
  ['string line', trivyReport([{ Target: 'a', Secrets: [{ RuleID: 'r', StartLine: '3' }] }])],
  ['array report', [{ Target: 'a' }]],
  ['null', null],
];

describe('compileCheck', () => {
  it.each(samples)('agrees with zod on %s', (_name, value) => {
    expect(check(value)).toBe(trivyReportSchema.safeParse(value).success);
  });

  it('answers "don\'t know" (false) for schemas it cannot check without zod', () => {
    expect(compileCheck(z.string().min(1))('x')).toBe(false);
    expect(compileCheck(z.object({ a: z.string() }))({ a: 'x' })).toBe(false);
    expect(compileCheck(z.string().default('x'))('x')).toBe(false);
  });

  it('fastParse falls back to zod, which transforms and reports', () => {
    const schema = z.looseObject({ a: z.string().default('d') });
    expect(fastParse(schema, compileCheck(schema), {})).toEqual({ success: true, data: { a: 'd' } });
    const failed = fastParse(schema, compileCheck(schema), { a: 1 });
    expect(failed.success).toBe(false);
  });
});
