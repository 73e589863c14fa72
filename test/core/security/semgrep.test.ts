import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../../src/core/errors.ts';
import type { SastFinding } from '../../../src/core/security/finding.ts';
import { parseSemgrepReport, semgrepSeverity } from '../../../src/core/security/semgrep.ts';
import { fixtureFiles, readJson, semgrepResult, walk } from './helpers.ts';

describe('parseSemgrepReport on every real Semgrep JSON report', () => {
  const files = fixtureFiles('semgrep', '.json');
  it('finds fixture files', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('%s', (file) => {
    const json = readJson(file);
    // Independent count: objects with a check_id and a path, directly under "results".
    const keys = new Set<string>();
    let ignored = 0;
    walk(json, (obj, key) => {
      if (key !== 'results' || typeof obj.check_id !== 'string') return;
      if ((obj.extra as { is_ignored?: boolean }).is_ignored) ignored++;
      else keys.add(`${obj.check_id}|${obj.path}|${(obj.start as { line: number }).line}`);
    });
    const errors = (json as { errors?: unknown[] }).errors ?? [];
    const report = parseSemgrepReport(json, file);
    expect(report.findings).toHaveLength(keys.size);
    expect(report.suppressed).toHaveLength(ignored);
    expect(report.errors).toHaveLength(errors.length);
    expect(report.scannerVersion).toBe((json as { version?: string }).version);
    for (const f of report.findings) expect(f.kind).toBe('sast');
  });
});

describe('semgrepSeverity', () => {
  it.each([
    ['ERROR', 'HIGH'],
    ['WARNING', 'MEDIUM'],
    ['INFO', 'LOW'],
    ['CRITICAL', 'CRITICAL'],
    ['HIGH', 'HIGH'],
    ['MEDIUM', 'MEDIUM'],
    ['LOW', 'LOW'],
    ['INVENTORY', 'UNKNOWN'],
    ['EXPERIMENT', 'UNKNOWN'],
    ['BLOCKER', undefined],
    ['error', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    // not a string, though String() of it is a severity name
    [['ERROR'], undefined],
    ['toString', undefined],
  ])('%s → %s', (raw, expected) => expect(semgrepSeverity(raw)).toBe(expected));
});

describe('parseSemgrepReport edge cases', () => {
  it('keeps the original severity beside the normalised one', () => {
    const report = parseSemgrepReport({ results: [semgrepResult({}, { severity: 'WARNING' })], errors: [] });
    expect(report.findings[0]).toMatchObject({ severity: 'MEDIUM', originalSeverity: 'WARNING', line: 3 });
  });

  it('drops "requires login" fingerprints and keeps real ones', () => {
    const loggedOut = semgrepResult({}, { fingerprint: 'requires login', lines: 'requires login' });
    const loggedIn = semgrepResult({ path: 'src/b.ts' }, { fingerprint: 'f00d' });
    const [a, b] = parseSemgrepReport({ results: [loggedOut, loggedIn], errors: [] })
      .findings as SastFinding[];
    expect(a?.fingerprint).toBeUndefined();
    expect(b?.fingerprint).toBe('f00d');
  });

  it('gives the same id with and without login (the id never depends on the fingerprint)', () => {
    const out = parseSemgrepReport({ results: [semgrepResult({}, { fingerprint: 'requires login' })] });
    const inn = parseSemgrepReport({ results: [semgrepResult({}, { fingerprint: 'f00d' })] });
    expect(out.findings[0]?.id).toBe(inn.findings[0]?.id);
  });

  it('keeps every scan error with its level, type and path', () => {
    const report = parseSemgrepReport({
      results: [],
      errors: [
        { code: 7, level: 'error', type: 'Rule parse error', message: 'bad rule' },
        { code: 3, level: 'warn', type: ['PartialParsing', [{}]], message: 'could not parse', path: 'a.ts' },
        { message: 'no level at all' },
      ],
    });
    expect(report.errors).toEqual([
      { level: 'error', type: 'Rule parse error', message: 'bad rule' },
      { level: 'warn', type: 'PartialParsing', message: 'could not parse', path: 'a.ts' },
      { level: 'error', type: 'error', message: 'no level at all' },
    ]);
  });

  it('reports nosemgrep-ignored results as suppressed', () => {
    const report = parseSemgrepReport({ results: [semgrepResult({}, { is_ignored: true })], errors: [] });
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toMatchObject([{ kind: 'sast', ruleId: 'rules.no-eval', status: 'ignored' }]);
  });

  it('counts a duplicated result once', () => {
    const report = parseSemgrepReport({ results: [semgrepResult(), semgrepResult()], errors: [] });
    expect(report.findings).toHaveLength(1);
    expect(report.duplicates).toBe(1);
  });

  it.each([
    ['no results', { errors: [] }],
    ['results not a list', { results: {} }],
    ['result without path', { results: [{ check_id: 'x', start: { line: 1 }, extra: {} }] }],
  ])('rejects %s with a PolicyError', (_name, json) => {
    expect(() => parseSemgrepReport(json, 'semgrep.json')).toThrow(PolicyError);
    expect(() => parseSemgrepReport(json, 'semgrep.json')).toThrow(
      /semgrep\.json is not a valid Semgrep JSON/,
    );
  });
});
