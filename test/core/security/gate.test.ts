import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../../src/core/security/gate.ts';
import { loadPolicy, type Policy, parsePolicy, type Waiver } from '../../../src/core/security/policy.ts';
import { renderVerdict } from '../../../src/core/security/render.ts';
import { parseSemgrepReport } from '../../../src/core/security/semgrep.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { fixtureFiles, readJson, repoRoot, semgrepResult, trivyReport, vuln } from './helpers.ts';

const now = new Date('2025-06-15T12:00:00Z');

function policy(overrides: Partial<Policy> = {}): Policy {
  const base = parsePolicy(
    'version: 1\nvulnerabilities: {block: [CRITICAL, HIGH], ignoreUnfixed: true}\nsecrets: {block: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN]}\nmisconfigurations: {block: [CRITICAL, HIGH]}\nsast: {block: [CRITICAL, HIGH]}\n',
    'test.yaml',
  );
  return { ...base, ...overrides };
}

function waiver(overrides: Partial<Waiver> = {}): Waiver {
  return { id: 'CVE-2024-0001', reason: 'accepted', expires: '2025-12-31', ...overrides };
}

const oneVuln = (overrides: Record<string, unknown> = {}) =>
  parseTrivyReport(trivyReport([{ Target: 'app:1.0 (alpine 3.19)', Vulnerabilities: [vuln(overrides)] }]));

describe('evaluateGate over the real reports with the shipped policies', () => {
  const trivy = fixtureFiles('trivy', '.json');
  const semgrep = fixtureFiles('semgrep', '.json');

  it.each(trivy)(
    'default policy, %s: blocks exactly the fixed CRITICAL/HIGH vulnerabilities',
    async (file) => {
      const json = readJson(file) as { Results?: { Vulnerabilities?: Record<string, unknown>[] | null }[] };
      const expected = new Set<string>();
      for (const r of json.Results ?? []) {
        for (const v of r.Vulnerabilities ?? []) {
          const fixed = v.Status ? v.Status === 'fixed' : Boolean(v.FixedVersion);
          if (fixed && (v.Severity === 'CRITICAL' || v.Severity === 'HIGH'))
            expected.add(`${v.VulnerabilityID}|${v.PkgName}`);
        }
      }
      const verdict = evaluateGate(
        [parseTrivyReport(json, file)],
        await loadPolicy(join(repoRoot, 'policies/default.yaml')),
        { now },
      );
      const blocked = verdict.blocking.map(
        ({ finding }) => finding.kind === 'vulnerability' && `${finding.ruleId}|${finding.package}`,
      );
      expect(new Set(blocked)).toEqual(expected);
      expect(verdict.blocked).toBe(expected.size > 0);
    },
  );

  it('strict policy blocks at least as much as default on every report', async () => {
    const reports = [
      ...trivy.map((f) => parseTrivyReport(readJson(f), f)),
      ...semgrep.map((f) => parseSemgrepReport(readJson(f), f)),
    ];
    const def = evaluateGate(reports, await loadPolicy(join(repoRoot, 'policies/default.yaml')), { now });
    const strict = evaluateGate(reports, await loadPolicy(join(repoRoot, 'policies/strict.yaml')), { now });
    const total = reports.reduce((n, r) => n + r.findings.length, 0);
    expect(def.total).toBe(total);
    const medium = reports.flatMap((r) => r.findings).filter((f) => f.severity === 'MEDIUM').length;
    expect(strict.blocking.length).toBe(def.blocking.length + medium);
  });
});

describe('evaluateGate', () => {
  it('explains why a fixed HIGH vulnerability blocks', () => {
    const verdict = evaluateGate([oneVuln({ FixedVersion: '1.2.4' })], policy(), { now });
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocking[0]?.reason).toBe(
      'HIGH vulnerability with a fix available (1.2.4) blocks: policy blocks HIGH vulnerabilities',
    );
  });

  it('ignores unfixed vulnerabilities only when the policy says so', () => {
    const report = oneVuln({ Status: 'affected', FixedVersion: '' });
    expect(evaluateGate([report], policy(), { now }).blocked).toBe(false);
    const strict = policy({ vulnerabilities: { block: ['HIGH'], ignoreUnfixed: false } });
    const verdict = evaluateGate([report], strict, { now });
    expect(verdict.blocking[0]?.reason).toContain('without a fix (status affected)');
  });

  it('does not block severities the policy does not list, but counts them', () => {
    const verdict = evaluateGate([oneVuln({ Severity: 'LOW' })], policy(), { now });
    expect(verdict.blocked).toBe(false);
    expect(verdict.counts.vulnerability.LOW).toBe(1);
    expect(verdict.total).toBe(1);
  });

  it('applies a valid waiver and reports it as applied', () => {
    const verdict = evaluateGate([oneVuln()], policy({ waivers: [waiver()] }), { now });
    expect(verdict.blocked).toBe(false);
    expect(verdict.waived).toHaveLength(1);
    expect(verdict.waivers.applied).toEqual([
      { waiver: waiver(), findingIds: [verdict.waived[0]?.finding.id] },
    ]);
  });

  it('applies a waiver on its expiry day, not the day after', () => {
    const w = waiver({ expires: '2025-06-15' });
    expect(evaluateGate([oneVuln()], policy({ waivers: [w] }), { now }).blocked).toBe(false);
    const later = new Date('2025-06-16T00:00:01Z');
    expect(evaluateGate([oneVuln()], policy({ waivers: [w] }), { now: later }).blocked).toBe(true);
  });

  it('does not apply an expired waiver, says so in the reason and lists it as expired', () => {
    const w = waiver({ expires: '2025-01-01' });
    const verdict = evaluateGate([oneVuln()], policy({ waivers: [w] }), { now });
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocking[0]?.reason).toContain('(waiver expired 2025-01-01)');
    expect(verdict.waivers.expired.map((u) => u.waiver)).toEqual([w]);
    expect(verdict.waivers.applied).toEqual([]);
  });

  it('reports a waiver that matches nothing as unused', () => {
    const w = waiver({ id: 'CVE-1999-9999' });
    const verdict = evaluateGate([oneVuln()], policy({ waivers: [w] }), { now });
    expect(verdict.waivers.unused).toEqual([w]);
  });

  it('scopes waivers to a package and to a path glob', () => {
    const other = waiver({ package: 'zlib' });
    expect(evaluateGate([oneVuln()], policy({ waivers: [other] }), { now }).blocked).toBe(true);
    const same = waiver({ package: 'openssl' });
    expect(evaluateGate([oneVuln()], policy({ waivers: [same] }), { now }).blocked).toBe(false);
    const secret = parseTrivyReport(
      trivyReport([
        {
          Target: 'config/dev/.env',
          Secrets: [{ RuleID: 'github-pat', StartLine: 1, Severity: 'CRITICAL' }],
        },
      ]),
    );
    const glob = waiver({ id: 'github-pat', path: 'config/**/.env' });
    expect(evaluateGate([secret], policy({ waivers: [glob] }), { now }).blocked).toBe(false);
    const miss = waiver({ id: 'github-pat', path: 'src/*' });
    expect(evaluateGate([secret], policy({ waivers: [miss] }), { now }).blocked).toBe(true);
  });

  it('matches a waiver by stable finding id and by misconfiguration alias', () => {
    const report = oneVuln();
    const byId = waiver({ id: report.findings[0]?.id ?? '' });
    expect(evaluateGate([report], policy({ waivers: [byId] }), { now }).blocked).toBe(false);
    const misconf = parseTrivyReport(
      trivyReport([
        {
          Target: 'Dockerfile',
          Misconfigurations: [{ ID: 'DS002', AVDID: 'AVD-DS-0002', Status: 'FAIL', Severity: 'HIGH' }],
        },
      ]),
    );
    expect(evaluateGate([misconf], policy(), { now }).blocked).toBe(true);
    expect(evaluateGate([misconf], policy({ waivers: [waiver({ id: 'DS002' })] }), { now }).blocked).toBe(
      false,
    );
  });

  it('counts a finding present in two reports once', () => {
    const verdict = evaluateGate([oneVuln(), oneVuln()], policy(), { now });
    expect(verdict.total).toBe(1);
    expect(verdict.blocking).toHaveLength(1);
    expect(verdict.duplicates).toBe(1);
  });

  it('blocks on every scan error, whatever its level, unless the policy waives it by path', () => {
    const report = (level: string, path?: string) =>
      parseSemgrepReport(
        { results: [], errors: [{ level, type: 'Timeout', message: 'boom', ...(path ? { path } : {}) }] },
        's.json',
      );
    const fatal = evaluateGate([report('error')], policy(), { now });
    expect(fatal.blocked).toBe(true);
    expect(fatal.blockingErrors).toMatchObject([{ source: 's.json', message: 'boom' }]);
    expect(renderVerdict(fatal)).toContain('scan error (blocks: part of the input was not scanned');
    // A warning-level error (e.g. PartialParsing) also means part of a file was not scanned.
    expect(evaluateGate([report('warn', 'src/a.ts')], policy(), { now }).blocked).toBe(true);
    const waiver = { path: 'vendor/**', reason: 'generated', expires: '2099-01-01' };
    const waived = evaluateGate([report('warn', 'vendor/x/big.js')], policy({ scanErrors: [waiver] }), {
      now,
    });
    expect(waived).toMatchObject({ blocked: false, blockingErrors: [] });
    expect(waived.waivedErrors).toMatchObject([{ waiver: { path: 'vendor/**' } }]);
    expect(renderVerdict(waived)).toContain('scan error waived until 2099-01-01 (generated)');
    // Not waived: another path, an expired waiver, another type, an error without a path.
    const other = evaluateGate([report('warn', 'src/a.js')], policy({ scanErrors: [waiver] }), { now });
    const expired = policy({ scanErrors: [{ ...waiver, expires: '2001-01-01' }] });
    const typed = policy({ scanErrors: [{ ...waiver, type: 'Syntax error' }] });
    expect(other.blocked).toBe(true);
    expect(evaluateGate([report('warn', 'vendor/a.js')], expired, { now }).blocked).toBe(true);
    expect(evaluateGate([report('warn', 'vendor/a.js')], typed, { now }).blocked).toBe(true);
    expect(
      evaluateGate([report('error')], policy({ scanErrors: [{ ...waiver, path: '**' }] }), { now }).blocked,
    ).toBe(true);
  });

  it('blocks HIGH SAST findings (Semgrep ERROR) but not MEDIUM (WARNING) under the default', () => {
    const report = parseSemgrepReport({
      results: [semgrepResult(), semgrepResult({ path: 'b.ts' }, { severity: 'WARNING' })],
    });
    const verdict = evaluateGate([report], policy(), { now });
    expect(verdict.blocking.map((b) => b.reason)).toEqual([
      'HIGH SAST finding blocks: policy blocks HIGH SAST findings',
    ]);
  });

  it('counts suppressed findings separately and never blocks on them', () => {
    const json = trivyReport([
      {
        Target: 'a',
        ExperimentalModifiedFindings: [
          { Type: 'vulnerability', Status: 'not_affected', Finding: vuln({ Severity: 'CRITICAL' }) },
        ],
      },
    ]);
    const verdict = evaluateGate([parseTrivyReport(json)], policy(), { now });
    expect(verdict).toMatchObject({ blocked: false, total: 0 });
    expect(verdict.suppressed).toHaveLength(1);
  });
});
