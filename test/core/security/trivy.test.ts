import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../../src/core/errors.ts';
import type { VulnerabilityFinding } from '../../../src/core/security/finding.ts';
import { parseTrivyReport, trivyFixStatus } from '../../../src/core/security/trivy.ts';
import { fixtureFiles, readJson, trivyReport, vuln, walk } from './helpers.ts';

/** Expected counts computed by walking the raw JSON, independently of the parser. */
function expectedCounts(json: unknown) {
  const keys = new Set<string>();
  let misconfigs = 0;
  let secrets = 0;
  let suppressed = 0;
  for (const result of (json as { Results?: Record<string, unknown>[] | null }).Results ?? []) {
    const target = String(result.Target);
    for (const v of (result.Vulnerabilities ?? []) as Record<string, unknown>[]) {
      keys.add([target, v.VulnerabilityID, v.PkgPath ?? '', v.PkgName, v.InstalledVersion].join('|'));
    }
    for (const m of (result.Misconfigurations ?? []) as Record<string, unknown>[]) {
      if (m.Status === 'FAIL') misconfigs++;
    }
    secrets += ((result.Secrets ?? []) as unknown[]).length;
  }
  walk(json, (_obj, key) => {
    if (key === 'ExperimentalModifiedFindings') suppressed++;
  });
  return { vulnerabilities: keys.size, misconfigs, secrets, suppressed };
}

/**
 * The shared real reports (../shared/fixtures/trivy) have vulnerabilities and suppressed findings but no
 * misconfiguration or secret, so a count comparison there compares 0 with 0. The local fixture is a `trivy fs
 * --scanners vuln,secret,misconfig` report written to Trivy's JSON format (pkg/types/report.go,
 * pkg/types/misconfiguration.go, pkg/types/secret.go) with FAIL and PASS misconfigurations and two secrets.
 */
const LOCAL = join(import.meta.dirname, 'fixtures/trivy-fs-secret-misconfig.json');

describe('parseTrivyReport on every real Trivy JSON report', () => {
  const files = [...fixtureFiles('trivy', '.json'), LOCAL];
  it('finds fixture files', () => expect(files.length).toBeGreaterThan(1));
  it('has fixtures with a non-zero count of each kind, so no count below compares 0 with 0', () => {
    const totals = files.map((file) => expectedCounts(readJson(file)));
    for (const kind of ['vulnerabilities', 'misconfigs', 'secrets', 'suppressed'] as const) {
      expect(
        totals.reduce((n, t) => n + t[kind], 0),
        kind,
      ).toBeGreaterThan(0);
    }
    // and a passing check, which must not count
    expect(JSON.stringify(readJson(LOCAL))).toContain('"Status":"PASS"');
  });
  it.each(files)('%s', (file) => {
    const json = readJson(file);
    const report = parseTrivyReport(json, file);
    const expected = expectedCounts(json);
    const byKind = (kind: string) => report.findings.filter((f) => f.kind === kind).length;
    expect(byKind('vulnerability')).toBe(expected.vulnerabilities);
    expect(byKind('misconfiguration')).toBe(expected.misconfigs);
    expect(byKind('secret')).toBe(expected.secrets);
    expect(report.suppressed).toHaveLength(expected.suppressed);
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
    const suppressedIds = new Set(report.suppressed.map((s) => s.ruleId));
    for (const f of report.findings)
      expect(suppressedIds.has(f.ruleId) && f.kind === 'vulnerability').toBe(false);
  });
});

describe('parseTrivyReport edge cases', () => {
  it.each([
    ['Results absent', { SchemaVersion: 2, ArtifactName: 'x' }],
    ['Results null', trivyReport(null)],
    ['Results empty', trivyReport([])],
    ['Vulnerabilities absent', trivyReport([{ Target: 'a', Class: 'os-pkgs' }])],
    ['Vulnerabilities null', trivyReport([{ Target: 'a', Class: 'os-pkgs', Vulnerabilities: null }])],
    ['Vulnerabilities empty', trivyReport([{ Target: 'a', Class: 'os-pkgs', Vulnerabilities: [] }])],
  ])('%s → no findings', (_name, json) => {
    expect(parseTrivyReport(json).findings).toEqual([]);
  });

  it('derives the status before v0.44 from FixedVersion', () => {
    const json = trivyReport([
      {
        Target: 'a',
        Vulnerabilities: [
          vuln({ Status: undefined, PkgName: 'fixed-pkg' }),
          vuln({ Status: undefined, PkgName: 'open-pkg', FixedVersion: undefined }),
          vuln({ Status: undefined, PkgName: 'empty-pkg', FixedVersion: '' }),
        ],
      },
    ]);
    const findings = parseTrivyReport(json).findings as VulnerabilityFinding[];
    expect(findings.map((f) => [f.package, f.status, f.originalStatus])).toEqual([
      ['fixed-pkg', 'fixed', ''],
      ['open-pkg', 'affected', ''],
      ['empty-pkg', 'affected', ''],
    ]);
  });

  it.each(['fixed', 'affected', 'will_not_fix', 'fix_deferred', 'end_of_life', 'unknown'])(
    'keeps status %s',
    (status) => expect(trivyFixStatus(status, '1.2')).toBe(status),
  );

  it('maps an unheard-of status to unknown and keeps the original', () => {
    const json = trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ Status: 'under_investigation' })] }]);
    const [f] = parseTrivyReport(json).findings as VulnerabilityFinding[];
    expect(f?.status).toBe('unknown');
    expect(f?.originalStatus).toBe('under_investigation');
  });

  it('keeps UNKNOWN, and refuses a severity Trivy never writes, naming the value', () => {
    const ok = trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ Severity: 'UNKNOWN' })] }]);
    expect(parseTrivyReport(ok).findings.map((f) => [f.severity, f.originalSeverity])).toEqual([
      ['UNKNOWN', 'UNKNOWN'],
    ]);
    // trivy-db pkg/types SeverityNames: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL, always upper case.
    for (const bad of ['CRIT', 'SEVERE', 'bogus', 'high', '', null]) {
      const json = trivyReport([{ Target: 'a', Vulnerabilities: [vuln({ Severity: bad })] }]);
      expect(() => parseTrivyReport(json, 't.json'), String(bad)).toThrow(PolicyError);
      expect(() => parseTrivyReport(json, 't.json')).toThrow(
        `severity ${JSON.stringify(bad)} of a: CVE-2024-0001`,
      );
    }
    const secret = trivyReport([{ Target: 'k', Secrets: [{ RuleID: 'aws-key', Severity: 'SEVERE' }] }]);
    expect(() => parseTrivyReport(secret)).toThrow('"SEVERE"');
    const misconfig = trivyReport([
      { Target: 'D', Misconfigurations: [{ AVDID: 'AVD-DS-1', Status: 'FAIL' }] },
    ]);
    expect(() => parseTrivyReport(misconfig)).toThrow('severity null of D: AVD-DS-1');
  });

  it('makes one finding per package for one CVE on several packages', () => {
    const json = trivyReport([
      { Target: 'img', Vulnerabilities: [vuln({ PkgName: 'musl' }), vuln({ PkgName: 'musl-utils' })] },
    ]);
    const report = parseTrivyReport(json);
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]?.id).not.toBe(report.findings[1]?.id);
  });

  it('makes one finding per target for one id in several targets', () => {
    const json = trivyReport([
      { Target: 'app/package-lock.json', Vulnerabilities: [vuln()] },
      { Target: 'web/package-lock.json', Vulnerabilities: [vuln()] },
    ]);
    expect(parseTrivyReport(json).findings.map((f) => f.target)).toEqual([
      'app/package-lock.json',
      'web/package-lock.json',
    ]);
  });

  it('counts a target listed under two classes once per distinct finding', () => {
    const json = trivyReport([
      {
        Target: 'Dockerfile',
        Class: 'config',
        Misconfigurations: [{ AVDID: 'AVD-DS-0002', Status: 'FAIL', Severity: 'HIGH' }],
      },
      {
        Target: 'Dockerfile',
        Class: 'secret',
        Secrets: [{ RuleID: 'aws-access-key-id', StartLine: 4, Severity: 'CRITICAL' }],
      },
      {
        Target: 'Dockerfile',
        Class: 'config',
        Misconfigurations: [{ AVDID: 'AVD-DS-0002', Status: 'FAIL', Severity: 'HIGH' }],
      },
    ]);
    const report = parseTrivyReport(json);
    expect(report.findings.map((f) => f.kind)).toEqual(['misconfiguration', 'secret']);
    expect(report.duplicates).toBe(1);
  });

  it('counts misconfigurations only when they failed', () => {
    const json = trivyReport([
      {
        Target: 'deploy.yaml',
        Class: 'config',
        Misconfigurations: [
          {
            ID: 'KSV001',
            AVDID: 'AVD-KSV-0001',
            Status: 'FAIL',
            Severity: 'HIGH',
            CauseMetadata: { StartLine: 7 },
          },
          { ID: 'KSV002', AVDID: 'AVD-KSV-0002', Status: 'PASS', Severity: 'HIGH' },
          { ID: 'KSV003', AVDID: 'AVD-KSV-0003', Status: 'EXCEPTION', Severity: 'HIGH' },
        ],
      },
    ]);
    const findings = parseTrivyReport(json).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'AVD-KSV-0001',
      aliases: ['KSV001'],
      path: 'deploy.yaml',
      line: 7,
    });
  });

  it('parses secrets without copying the matched text', () => {
    const json = trivyReport([
      {
        Target: '.env',
        Class: 'secret',
        Secrets: [
          {
            RuleID: 'aws-secret-access-key',
            Category: 'AWS',
            Severity: 'CRITICAL',
            Title: 'AWS Secret',
            StartLine: 2,
            Match: 'AWS_SECRET=****',
          },
        ],
      },
    ]);
    const [f] = parseTrivyReport(json).findings;
    expect(f).toMatchObject({
      kind: 'secret',
      ruleId: 'aws-secret-access-key',
      path: '.env',
      line: 2,
      category: 'AWS',
    });
    expect(JSON.stringify(f)).not.toContain('AWS_SECRET=');
  });

  it('reports ExperimentalModifiedFindings as suppressed, never as findings', () => {
    const json = trivyReport([
      {
        Target: 'package-lock.json',
        Vulnerabilities: [vuln()],
        ExperimentalModifiedFindings: [
          {
            Type: 'vulnerability',
            Status: 'not_affected',
            Statement: 'vulnerable_code_not_in_execute_path',
            Source: './vex.json',
            Finding: vuln({ VulnerabilityID: 'CVE-2017-16137', PkgName: 'debug', InstalledVersion: '3.0.1' }),
          },
        ],
      },
    ]);
    const report = parseTrivyReport(json);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['CVE-2024-0001']);
    expect(report.suppressed).toEqual([
      {
        kind: 'vulnerability',
        ruleId: 'CVE-2017-16137',
        location: 'package-lock.json: debug@3.0.1',
        status: 'not_affected',
        statement: 'vulnerable_code_not_in_execute_path',
        source: './vex.json',
      },
    ]);
  });

  it('gives equal findings equal ids and different lines different ids', () => {
    const secret = (line: number) =>
      trivyReport([{ Target: 'a', Secrets: [{ RuleID: 'r', StartLine: line, Severity: 'HIGH' }] }]);
    expect(parseTrivyReport(secret(1)).findings[0]?.id).toBe(parseTrivyReport(secret(1)).findings[0]?.id);
    expect(parseTrivyReport(secret(1)).findings[0]?.id).not.toBe(parseTrivyReport(secret(2)).findings[0]?.id);
  });

  it.each([
    ['SchemaVersion 1', { SchemaVersion: 1, Results: [] }],
    ['no SchemaVersion', { Results: [] }],
    ['Results not a list', trivyReport({})],
    ['vulnerability without id', trivyReport([{ Target: 'a', Vulnerabilities: [{ PkgName: 'x' }] }])],
  ])('rejects %s with a PolicyError naming the file and field', (_name, json) => {
    expect(() => parseTrivyReport(json, 'scan.json')).toThrow(PolicyError);
    expect(() => parseTrivyReport(json, 'scan.json')).toThrow(/scan\.json is not a valid Trivy JSON/);
  });
});
