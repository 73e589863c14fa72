import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GITLAB_REPORT_VERSION,
  gitlabSeverity,
  gitlabTime,
  toGitLabContainerScanning,
  toGitLabSast,
} from '../../../src/core/reports/gitlab.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { fixturesDir, readJson, trivyReport, vuln } from '../security/helpers.ts';
import { fixtureReports, gitlabValidator } from './helpers.ts';

const containerSchema = gitlabValidator('container-scanning-report-format-15.2.1.json');
const sastSchema = gitlabValidator('sast-report-format-15.2.1.json');
const times = { startTime: new Date('2025-01-02T03:04:05.678Z'), endTime: new Date('2025-01-02T03:05:00Z') };
const trivy = {
  id: 'trivy',
  name: 'Trivy',
  version: '0.50.1',
  vendor: 'Aqua Security',
  url: 'https://github.com/aquasecurity/trivy',
};
const semgrep = { id: 'semgrep', name: 'Semgrep', version: '1.30.0', vendor: 'Semgrep' };
const findings = fixtureReports().flatMap((r) => r.findings);

describe('the GitLab schemas themselves', () => {
  it.each([
    ['example-gl-container-scanning-report-15.0.6.json', containerSchema],
    ['example-gl-sast-report-semgrep-15.1.4.json', sastSchema],
  ])('accept the real example %s (the validators work)', (file, validate) => {
    expect(validate(readJson(join(fixturesDir, 'gitlab', file)))).toBe(true);
  });
});

describe('toGitLabContainerScanning', () => {
  it('validates, with one unique id per vulnerability finding of every fixture', () => {
    const report = toGitLabContainerScanning(findings, {
      ...times,
      scanner: trivy,
      image: 'registry.example.com/app@sha256:abc',
      operatingSystem: 'alpine 3.9.4',
    });
    expect(containerSchema(report), JSON.stringify(containerSchema.errors?.slice(0, 3))).toBe(true);
    const expected = findings.filter((f) => f.kind === 'vulnerability').length;
    expect(report.vulnerabilities).toHaveLength(expected);
    expect(new Set(report.vulnerabilities.map((v) => v.id)).size).toBe(expected);
    expect(report.version).toMatch(/^15\.(0|1)\.\d+$/);
    expect(report.scan.start_time).toBe('2025-01-02T03:04:05');
  });

  it('writes one CVE on several packages as several findings with package, OS and image', () => {
    const parsed = parseTrivyReport(
      trivyReport([
        { Target: 'img', Vulnerabilities: [vuln({ PkgName: 'musl' }), vuln({ PkgName: 'musl-utils' })] },
      ]),
    );
    const report = toGitLabContainerScanning([...parsed.findings, ...parsed.findings], {
      ...times,
      scanner: trivy,
      image: 'img',
    });
    expect(containerSchema(report)).toBe(true);
    expect(report.vulnerabilities.map((v) => v.location)).toEqual([
      {
        dependency: { package: { name: 'musl' }, version: '1.0.0' },
        operating_system: 'Unknown',
        image: 'img',
      },
      {
        dependency: { package: { name: 'musl-utils' }, version: '1.0.0' },
        operating_system: 'Unknown',
        image: 'img',
      },
    ]);
    expect(report.vulnerabilities[0]).toMatchObject({
      severity: 'High',
      solution: 'Upgrade musl to 1.0.1',
      identifiers: [{ type: 'cve', name: 'CVE-2024-0001', value: 'CVE-2024-0001' }],
    });
  });

  it('fails validation when the image is missing (the test can fail)', () => {
    const report = toGitLabContainerScanning(findings, { ...times, scanner: trivy, image: '' });
    expect(containerSchema(report)).toBe(false);
  });
});

describe('toGitLabSast', () => {
  it('validates, with every SAST and misconfiguration finding', () => {
    const report = toGitLabSast(findings, { ...times, scanner: semgrep });
    expect(sastSchema(report), JSON.stringify(sastSchema.errors?.slice(0, 3))).toBe(true);
    const expected = findings.filter((f) => f.kind === 'sast' || f.kind === 'misconfiguration');
    expect(report.vulnerabilities.map((v) => v.id)).toEqual(expected.map((f) => f.id));
    expect(report.vulnerabilities[0]?.location).toMatchObject({
      file: expect.any(String),
      start_line: expect.any(Number),
    });
  });
});

describe('formatting', () => {
  it.each([
    ['CRITICAL', 'Critical'],
    ['HIGH', 'High'],
    ['UNKNOWN', 'Unknown'],
  ] as const)('%s → %s', (s, expected) => expect(gitlabSeverity(s)).toBe(expected));
  it('drops the zone and milliseconds', () =>
    expect(gitlabTime(new Date('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29T23:59:59'));
  it('writes a 15.0.x version', () => expect(GITLAB_REPORT_VERSION).toMatch(/^15\.0\.\d+$/));
});
