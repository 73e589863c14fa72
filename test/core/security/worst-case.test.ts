/**
 * The gate takes the worst case (issue 11): duplicates merge into the most severe and fixable entry,
 * unknown severities, duplicate keys and wrong-tool documents make a report invalid, and repository
 * suppressions are counted, shown and refusable.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyError } from '../../../src/core/errors.ts';
import { evaluateGate } from '../../../src/core/security/gate.ts';
import { findDuplicateKey } from '../../../src/core/security/json-keys.ts';
import { type Policy, parsePolicy } from '../../../src/core/security/policy.ts';
import { renderVerdict } from '../../../src/core/security/render.ts';
import { parseReportText } from '../../../src/core/security/report-file.ts';
import { findRepositorySuppressions, suppressionsInText } from '../../../src/core/security/suppressions.ts';
import { semgrepResult, trivyReport, vuln } from './helpers.ts';

const now = new Date('2025-06-15T12:00:00Z');
const policy = (extra = ''): Policy =>
  parsePolicy(
    `version: 1\nvulnerabilities: {block: [CRITICAL, HIGH], ignoreUnfixed: true}\nsecrets: {block: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN]}\nmisconfigurations: {block: [CRITICAL, HIGH]}\nsast: {block: [CRITICAL, HIGH]}\n${extra}`,
    'test.yaml',
  );
const trivy = (vulns: object[]) =>
  parseReportText(
    JSON.stringify(trivyReport([{ Target: 'package-lock.json', Vulnerabilities: vulns }])),
    'trivy',
    't.json',
  );
const semgrep = (results: object[]) =>
  parseReportText(JSON.stringify({ results, errors: [], paths: { scanned: [] } }), 'semgrep', 's.json');

describe('duplicates: the worst case wins, in either order', () => {
  const low = vuln({ Severity: 'LOW' });
  const critical = vuln({ Severity: 'CRITICAL' });
  const wontFix = vuln({ Severity: 'CRITICAL', Status: 'will_not_fix', FixedVersion: '' });
  const fixed = vuln({ Severity: 'CRITICAL', Status: 'fixed', FixedVersion: '1.0.1' });

  it.each([
    ['LOW then CRITICAL (same CVE, package, target)', [low, critical]],
    ['CRITICAL then LOW', [critical, low]],
    ['will_not_fix then fixed', [wontFix, fixed]],
    ['fixed then will_not_fix', [fixed, wontFix]],
    ['CRITICAL will_not_fix then HIGH fixed', [wontFix, vuln({ Severity: 'HIGH' })]],
  ])('%s blocks', (_, vulns) => {
    const verdict = evaluateGate([trivy(vulns)], policy(), { now });
    expect(verdict.blocked).toBe(true);
    expect(verdict.total).toBe(1);
    expect(verdict.duplicates).toBe(1);
    expect(verdict.blocking[0]?.reason).toMatch(/with a fix available \(1\.0\.1\)/);
  });

  it('across two reports too', () => {
    const verdict = evaluateGate([trivy([low]), trivy([critical])], policy(), { now });
    expect(verdict).toMatchObject({ blocked: true, total: 1, duplicates: 1 });
    expect(verdict.counts.vulnerability.CRITICAL).toBe(1);
    expect(verdict.counts.vulnerability.LOW).toBe(0);
  });

  it('Semgrep INFO then ERROR on the same line blocks', () => {
    const info = semgrepResult({}, { severity: 'INFO' });
    const error = semgrepResult({}, { severity: 'ERROR' });
    for (const results of [
      [info, error],
      [error, info],
    ]) {
      const verdict = evaluateGate([semgrep(results)], policy(), { now });
      expect(verdict).toMatchObject({ blocked: true, total: 1, duplicates: 1 });
      expect(verdict.blocking[0]?.finding.severity).toBe('HIGH');
    }
  });
});

describe('an invalid report blocks, naming what is wrong', () => {
  it.each(['CRIT', 'SEVERE', null, ''])('Trivy severity %j', (severity) => {
    expect(() => trivy([vuln({ Severity: severity })])).toThrow(PolicyError);
    expect(() => trivy([vuln({ Severity: severity })])).toThrow(`severity ${JSON.stringify(severity)}`);
  });

  it.each(['BLOCKER', 'CRIT', null, '', 'error'])('Semgrep severity %j', (severity) => {
    expect(() => semgrep([semgrepResult({}, { severity })])).toThrow(`severity ${JSON.stringify(severity)}`);
  });

  it('duplicate keys: "Results":[vuln],"Results":[] is refused, even when escaped', () => {
    const body = JSON.stringify(
      trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ Severity: 'CRITICAL' })] }]),
    );
    const twice = body.replace('"Results":', '"Results":[],"Results":');
    expect(JSON.parse(twice).Results).toHaveLength(1); // what a plain reader would see: the last one
    const clean = body.replace(/"Results":\[.*\]/, '"Results":[]');
    const shadowed = clean.replace(
      '"Results":[]',
      '"Results":[{"Target":"a","Vulnerabilities":[]}],"\\u0052esults":[]',
    );
    for (const text of [twice, shadowed]) {
      expect(() => parseReportText(text, 'trivy', 'dup.json')).toThrow('key "Results" appears twice');
    }
    const inner = body.replace('"Severity":"CRITICAL"', '"Severity":"CRITICAL","Severity":"LOW"');
    expect(() => parseReportText(inner, 'trivy', 'dup.json')).toThrow('key "Severity" appears twice');
  });

  it('the duplicate-key check accepts equal keys in sibling objects and keys inside strings', () => {
    expect(findDuplicateKey('{"a":[{"k":1},{"k":2}],"b":{"k":"\\"k\\":"}}')).toBeUndefined();
    expect(findDuplicateKey('{"a":"x","b":{"c":1,\n"c":2}}')).toEqual({ key: 'c', line: 2 });
    expect(findDuplicateKey('["a","a"]')).toBeUndefined();
  });

  it('a Semgrep body with "SchemaVersion":2 is not an empty Trivy report, and the reverse', () => {
    const semgrepBody = { SchemaVersion: 2, results: [semgrepResult()], errors: [] };
    expect(() => parseReportText(JSON.stringify(semgrepBody), 'trivy', 'x.json')).toThrow(/keys of both/);
    expect(() => parseReportText(JSON.stringify(semgrepBody), 'semgrep', 'x.json')).toThrow(/keys of both/);
    const trivyBody = trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }]);
    expect(() => parseReportText(JSON.stringify(trivyBody), 'semgrep', 'x.json')).toThrow(/not semgrep JSON/);
  });
});

describe('repository suppressions are counted, shown and refusable', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('finds nosemgrep and trivy:ignore comments (Semgrep needs the space before nosemgrep)', () => {
    const text =
      'eval(x) // nosemgrep: rules.no-eval\nfoo() # NOSEM\nnosemgrep at line start\n# trivy:ignore:AVD-DS-0002\n';
    expect(suppressionsInText('a.ts', text)).toEqual([
      { kind: 'nosemgrep', file: 'a.ts', line: 1 },
      { kind: 'nosemgrep', file: 'a.ts', line: 2 },
      { kind: 'trivy:ignore', file: 'a.ts', line: 4 },
    ]);
  });

  it('finds ignore files, skips node_modules and .git, and does not follow symlinks', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-supp-'));
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'node_modules/x'), { recursive: true });
    await writeFile(join(dir, '.semgrepignore'), 'src/\n');
    await writeFile(join(dir, '.trivyignore'), 'CVE-2024-0001\n');
    await writeFile(join(dir, 'src/.trivyignore.yaml'), 'vulnerabilities: []\n');
    await writeFile(join(dir, 'src/a.ts'), 'ok\neval(x) // nosemgrep\n');
    await writeFile(join(dir, 'node_modules/x/b.js'), 'eval(x) // nosemgrep\n');
    await symlink('/etc', join(dir, 'etc-link'));
    const found = await findRepositorySuppressions(dir);
    expect(found.map((s) => `${s.kind} ${s.file}${s.line ? `:${s.line}` : ''}`).sort()).toEqual([
      'nosemgrep src/a.ts:2',
      'semgrepignore .semgrepignore',
      'trivyignore .trivyignore',
      'trivyignore src/.trivyignore.yaml',
    ]);
  });

  it('shows them in the verdict; allowRepositorySuppressions: false blocks', () => {
    const repositorySuppressions = [{ kind: 'nosemgrep', file: 'src/a.ts', line: 2 }] as const;
    const clean = trivy([]);
    const allowed = evaluateGate([clean], policy(), { now, repositorySuppressions });
    expect(allowed.blocked).toBe(false);
    expect(renderVerdict(allowed)).toContain('nosemgrep at src/a.ts:2');
    expect(renderVerdict(allowed)).toContain('1 suppression(s) in the repository');
    const refused = evaluateGate([clean], policy('allowRepositorySuppressions: false\n'), {
      now,
      repositorySuppressions,
    });
    expect(refused).toMatchObject({ blocked: true, suppressionsRefused: true });
    expect(renderVerdict(refused)).toContain('repository suppressions refused by the policy');
    // With none in the repository or the reports, the flag blocks nothing.
    expect(evaluateGate([clean], policy('allowRepositorySuppressions: false\n'), { now }).blocked).toBe(
      false,
    );
  });

  it('counts a Semgrep is_ignored result and a .semgrepignore skip from the report; refusable', () => {
    const report = parseReportText(
      JSON.stringify({
        results: [semgrepResult({}, { is_ignored: true })],
        errors: [],
        paths: { scanned: [], skipped: [{ path: 'src/evil.ts', reason: 'semgrepignore_patterns_match' }] },
      }),
      'semgrep',
      's.json',
    );
    expect(report.suppressed.map((s) => s.source)).toEqual(['src/app.ts', '.semgrepignore']);
    expect(evaluateGate([report], policy(), { now }).blocked).toBe(false);
    expect(evaluateGate([report], policy('allowRepositorySuppressions: false\n'), { now }).blocked).toBe(
      true,
    );
  });
});
