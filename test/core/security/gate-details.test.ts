/**
 * The gate's verdict in every part the mutation run (reports/mutation/) found unguarded: the reason of each
 * kind of block, the counts, duplicates across reports, which waiver applies when several match, how
 * waivers are classified (applied, expired, unused) with the findings each matched, scan-error waivers
 * (expiry, type, errors without a path), and repository suppressions under a policy that refuses them.
 */
import { describe, expect, it } from 'vitest';
import { blockReason, evaluateGate } from '../../../src/core/security/gate.ts';
import {
  type Policy,
  parsePolicy,
  type ScanErrorWaiver,
  type Waiver,
} from '../../../src/core/security/policy.ts';
import type { ScanReport } from '../../../src/core/security/scan-report.ts';
import { parseSemgrepReport } from '../../../src/core/security/semgrep.ts';
import type { RepositorySuppression } from '../../../src/core/security/suppressions.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { semgrepResult, trivyReport, vuln } from './helpers.ts';

const now = new Date('2025-06-15T12:00:00Z');
const policy = (over: Partial<Policy> = {}, ignoreUnfixed = false): Policy => ({
  ...parsePolicy(
    `version: 1\nvulnerabilities: {block: [CRITICAL, HIGH], ignoreUnfixed: ${ignoreUnfixed}}\nsecrets: {block: [HIGH]}\nmisconfigurations: {block: [HIGH]}\nsast: {block: [HIGH]}\n`,
    'p.yaml',
  ),
  ...over,
});
const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'CVE-2024-0001',
  reason: 'accepted',
  expires: '2025-12-31',
  ...over,
});
const trivy = (results: unknown[], source = 'trivy.json') => parseTrivyReport(trivyReport(results), source);
const vulns = (...entries: Record<string, unknown>[]) =>
  trivy([{ Target: 'img (alpine 3.19)', Vulnerabilities: entries.map((e) => vuln(e)) }]);
const mixed = () =>
  trivy([
    {
      Target: 'Dockerfile',
      Misconfigurations: [
        { ID: 'DS002', AVDID: 'AVD-DS-0002', Severity: 'HIGH', Status: 'FAIL', Title: 't' },
      ],
      Secrets: [{ RuleID: 'aws-access-key-id', Severity: 'HIGH', Title: 'AWS' }],
    },
  ]);
const sast = (severity = 'ERROR') =>
  parseSemgrepReport({ results: [semgrepResult({}, { severity })] }, 'semgrep.json');

describe('blockReason', () => {
  const only = (report: ScanReport) => report.findings[0] as ScanReport['findings'][number];

  it('says why each kind blocks, naming the rule of the policy', () => {
    const p = policy();
    expect(blockReason(only(vulns({})), p)).toBe(
      'HIGH vulnerability with a fix available (1.0.1) blocks: policy blocks HIGH vulnerabilities',
    );
    expect(blockReason(only(vulns({ FixedVersion: '', Status: 'affected', Severity: 'CRITICAL' })), p)).toBe(
      'CRITICAL vulnerability without a fix (status affected) blocks: policy blocks CRITICAL vulnerabilities, unfixed included',
    );
    const [misconfiguration, secret] = mixed().findings;
    expect(blockReason(misconfiguration as never, p)).toBe(
      'HIGH misconfiguration blocks: policy blocks HIGH misconfigurations',
    );
    expect(blockReason(secret as never, p)).toBe(
      'HIGH secret (aws-access-key-id) blocks: policy blocks HIGH secrets',
    );
    expect(blockReason(only(sast()), p)).toBe('HIGH SAST finding blocks: policy blocks HIGH SAST findings');
  });

  it('lets through a severity the section does not list, and an unfixed one under ignoreUnfixed', () => {
    expect(blockReason(only(vulns({ Severity: 'MEDIUM' })), policy())).toBeUndefined();
    expect(blockReason(only(sast('WARNING')), policy())).toBeUndefined();
    const unfixed = only(vulns({ FixedVersion: '', Status: 'affected' }));
    expect(blockReason(unfixed, policy({}, true))).toBeUndefined();
    // each kind reads its own section
    const p = policy({ sast: { block: [] } });
    expect(blockReason(only(sast()), p)).toBeUndefined();
    expect(blockReason(only(vulns({})), p)).toBeDefined();
  });
});

describe('evaluateGate details', () => {
  it('counts every kind and severity, zeros included', () => {
    const verdict = evaluateGate(
      [vulns({}, { VulnerabilityID: 'CVE-2', Severity: 'LOW' }), mixed(), sast('INFO')],
      policy(),
      {
        now,
      },
    );
    const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
    expect(verdict.counts).toEqual({
      vulnerability: { ...zero, HIGH: 1, LOW: 1 },
      secret: { ...zero, HIGH: 1 },
      misconfiguration: { ...zero, HIGH: 1 },
      sast: { ...zero, LOW: 1 },
    });
    expect(verdict.total).toBe(5);
  });

  it('adds the duplicates inside each report to those across reports, and keeps the worst case', () => {
    const low = vulns({ Severity: 'LOW' }, { Severity: 'LOW' });
    expect(low.duplicates).toBe(1);
    const critical = vulns({ Severity: 'CRITICAL' });
    const verdict = evaluateGate([low, critical, vulns({ Severity: 'LOW' })], policy(), { now });
    expect(verdict.duplicates).toBe(3);
    expect(verdict.total).toBe(1);
    expect(verdict.blocking.map((b) => b.finding.severity)).toEqual(['CRITICAL']);
    expect(verdict.counts.vulnerability.CRITICAL).toBe(1);
    expect(verdict.counts.vulnerability.LOW).toBe(0);
  });

  it('a valid waiver applies even when an expired one of the same id is listed first', () => {
    const old = waiver({ expires: '2025-01-01', reason: 'old' });
    const current = waiver({ reason: 'current' });
    const verdict = evaluateGate([vulns({})], policy({ waivers: [old, current] }), { now });
    expect(verdict.blocked).toBe(false);
    expect(verdict.waived).toEqual([
      { finding: expect.objectContaining({ ruleId: 'CVE-2024-0001' }), waiver: current },
    ]);
  });

  it('a finding under an expired waiver only blocks, naming the expiry date of the first', () => {
    const verdict = evaluateGate(
      [vulns({})],
      policy({ waivers: [waiver({ expires: '2025-06-14' }), waiver({ expires: '2025-01-01' })] }),
      { now },
    );
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocking[0]?.reason).toBe(
      'HIGH vulnerability with a fix available (1.0.1) blocks: policy blocks HIGH vulnerabilities (waiver expired 2025-06-14)',
    );
    expect(verdict.waived).toEqual([]);
  });

  it('classifies every waiver with the findings it matched', () => {
    const report = vulns({}, { VulnerabilityID: 'CVE-2', Severity: 'LOW' }, { VulnerabilityID: 'CVE-3' });
    const [first, second, third] = report.findings.map((f) => f.id);
    const applied = waiver();
    const appliedToLow = waiver({ id: 'CVE-2' }); // matches a finding the policy does not block: still used
    const expired = waiver({ id: 'CVE-3', expires: '2025-06-14' });
    const expiredUnused = waiver({ id: 'CVE-9', expires: '2020-01-01' });
    const unused = waiver({ id: 'CVE-9' });
    const verdict = evaluateGate(
      [report],
      policy({ waivers: [applied, appliedToLow, expired, expiredUnused, unused] }),
      {
        now,
      },
    );
    expect(verdict.waivers).toEqual({
      applied: [
        { waiver: applied, findingIds: [first] },
        { waiver: appliedToLow, findingIds: [second] },
      ],
      expired: [
        { waiver: expired, findingIds: [third] },
        { waiver: expiredUnused, findingIds: [] },
      ],
      unused: [unused],
    });
  });

  it('on its last day a waiver is applied or unused, never expired; the day after it is expired', () => {
    const today = '2025-06-15';
    const used = waiver({ expires: today });
    const idle = waiver({ id: 'CVE-9', expires: today });
    const onLastDay = evaluateGate([vulns({})], policy({ waivers: [used, idle] }), { now });
    expect(onLastDay.waivers).toEqual({
      applied: [{ waiver: used, findingIds: [expect.any(String)] }],
      expired: [],
      unused: [idle],
    });
    const dayAfter = evaluateGate([vulns({})], policy({ waivers: [used, idle] }), {
      now: new Date('2025-06-16T00:00:00Z'),
    });
    expect(dayAfter.waivers.applied).toEqual([]);
    expect(dayAfter.waivers.unused).toEqual([]);
    expect(dayAfter.waivers.expired.map((u) => u.waiver)).toEqual([used, idle]);
  });

  it('a waiver that matches two findings lists both', () => {
    const report = trivy([
      { Target: 'a', Vulnerabilities: [vuln()] },
      { Target: 'b', Vulnerabilities: [vuln()] },
    ]);
    const w = waiver();
    const verdict = evaluateGate([report], policy({ waivers: [w] }), { now });
    expect(verdict.waivers.applied).toEqual([{ waiver: w, findingIds: report.findings.map((f) => f.id) }]);
    expect(verdict.waived).toHaveLength(2);
  });
});

describe('evaluateGate scan errors', () => {
  const withErrors = (...errors: Record<string, unknown>[]) =>
    parseSemgrepReport({ results: [], errors }, 'semgrep.json');
  const errorWaiver = (over: Partial<ScanErrorWaiver> = {}): ScanErrorWaiver => ({
    path: 'vendor/**',
    reason: 'third-party',
    expires: '2025-12-31',
    ...over,
  });

  it('a covered error is waived, with the report it came from', () => {
    const w = errorWaiver();
    const verdict = evaluateGate(
      [withErrors({ level: 'error', type: 'Timeout', path: 'vendor/a.js' })],
      policy({ scanErrors: [w] }),
      { now },
    );
    expect(verdict.blocked).toBe(false);
    expect(verdict.waivedErrors).toEqual([
      {
        error: { level: 'error', type: 'Timeout', message: '', path: 'vendor/a.js', source: 'semgrep.json' },
        waiver: w,
      },
    ]);
    expect(verdict.blockingErrors).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Partial<ScanErrorWaiver>]>([
    ['an expired waiver', { path: 'vendor/a.js' }, { expires: '2025-06-14' }],
    ['another path', { path: 'src/a.js' }, {}],
    ['another error type', { path: 'vendor/a.js', type: 'Syntax error' }, { type: 'Timeout' }],
    ['an error without a path', {}, { path: '**' }],
  ])('%s leaves the error blocking', (_name, error, over) => {
    const verdict = evaluateGate(
      [withErrors({ level: 'error', ...error })],
      policy({ scanErrors: [errorWaiver(over)] }),
      {
        now,
      },
    );
    expect(verdict.blocked).toBe(true);
    expect(verdict.blockingErrors).toEqual([expect.objectContaining({ source: 'semgrep.json' })]);
    expect(verdict.waivedErrors).toEqual([]);
  });

  it('a waiver of the error type covers that type, and a waiver valid today applies on its last day', () => {
    const w = errorWaiver({ type: 'Timeout', expires: '2025-06-15' });
    const verdict = evaluateGate(
      [withErrors({ type: 'Timeout', path: 'vendor/x/y.js' })],
      policy({ scanErrors: [w] }),
      {
        now,
      },
    );
    expect(verdict.blocked).toBe(false);
  });
});

describe('evaluateGate repository suppressions', () => {
  const suppression: RepositorySuppression = { kind: 'nosemgrep', file: 'src/a.js', line: 3 };

  it('a policy that refuses them blocks on one found in the repository alone', () => {
    const verdict = evaluateGate(
      [vulns({ Severity: 'LOW' })],
      policy({ allowRepositorySuppressions: false }),
      {
        now,
        repositorySuppressions: [suppression],
      },
    );
    expect(verdict).toMatchObject({ blocked: true, suppressionsRefused: true, blocking: [] });
    expect(verdict.repositorySuppressions).toEqual([suppression]);
  });

  it('a policy that refuses them blocks on one the scanner reported alone', () => {
    const report = trivy([
      { Target: 'img', ExperimentalModifiedFindings: [{ Type: 'vulnerability', Status: 'ignored' }] },
    ]);
    const verdict = evaluateGate([report], policy({ allowRepositorySuppressions: false }), { now });
    expect(verdict).toMatchObject({ blocked: true, suppressionsRefused: true });
    expect(verdict.suppressed).toHaveLength(1);
  });

  it('nothing to refuse, or a policy that allows them: not blocked', () => {
    expect(
      evaluateGate([vulns({ Severity: 'LOW' })], policy({ allowRepositorySuppressions: false }), { now }),
    ).toMatchObject({
      blocked: false,
      suppressionsRefused: false,
      repositorySuppressions: [],
    });
    expect(
      evaluateGate([vulns({ Severity: 'LOW' })], policy(), {
        now,
        repositorySuppressions: [suppression],
      }),
    ).toMatchObject({ blocked: false, suppressionsRefused: false });
  });

  it('takes today from the clock when no time is given', () => {
    const w = waiver({ expires: '2000-01-01' });
    expect(evaluateGate([vulns({})], policy({ waivers: [w] })).waivers.expired).toHaveLength(1);
    const future = waiver({ expires: '2999-01-01' });
    expect(evaluateGate([vulns({})], policy({ waivers: [future] })).blocked).toBe(false);
  });
});
