import { describe, expect, it } from 'vitest';
import { artifactUri, SARIF_TOOLS, toSarif } from '../../../src/core/reports/sarif.ts';
import type { Finding } from '../../../src/core/security/finding.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { trivyReport, vuln } from '../security/helpers.ts';
import { fixtureReports, sarifValidator } from './helpers.ts';

const validate = sarifValidator();

type Result = {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
};
const resultsOf = (log: ReturnType<typeof toSarif>) => (log.runs[0] as { results: Result[] }).results;
const rulesOf = (log: ReturnType<typeof toSarif>) =>
  (log.runs[0] as { tool: { driver: { rules: { id: string }[] } } }).tool.driver.rules;

describe('toSarif', () => {
  it.each(fixtureReports().map((r) => [r.source, r] as const))(
    'validates against SARIF 2.1.0: %s',
    (_s, report) => {
      const log = toSarif(report.findings, {
        ...SARIF_TOOLS[report.scanner],
        version: report.scannerVersion ?? '',
      });
      expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const results = resultsOf(log);
      expect(results).toHaveLength(report.findings.length);
      expect(rulesOf(log).map((r) => r.id)).toEqual([...new Set(report.findings.map((f) => f.ruleId))]);
      for (const r of results) {
        expect(rulesOf(log)[r.ruleIndex]?.id).toBe(r.ruleId);
        expect(r.locations[0]?.physicalLocation.artifactLocation.uri).not.toBe('');
      }
    },
  );

  it('gives image vulnerabilities the image as location and maps severities to levels', () => {
    const report = parseTrivyReport(
      trivyReport([
        {
          Target: 'registry.example.com/app:1.0 (alpine 3.19.1)',
          Vulnerabilities: [
            vuln({ Severity: 'CRITICAL' }),
            vuln({ Severity: 'MEDIUM', PkgName: 'b' }),
            vuln({ Severity: 'LOW', PkgName: 'c' }),
          ],
        },
      ]),
    );
    const log = toSarif(report.findings, SARIF_TOOLS.trivy);
    expect(validate(log)).toBe(true);
    const results = resultsOf(log);
    expect(results.map((r) => r.level)).toEqual(['error', 'warning', 'note']);
    expect(results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'registry.example.com/app:1.0' },
      region: { startLine: 1 },
    });
    expect(rulesOf(log)).toHaveLength(1);
  });

  it('writes an empty but valid run when there are no findings', () => {
    const log = toSarif([], SARIF_TOOLS.semgrep);
    expect(validate(log)).toBe(true);
    expect(resultsOf(log)).toEqual([]);
  });

  it('encodes paths that are not valid URIs as they stand', () => {
    const finding = { kind: 'sast', path: 'src/my file.ts', target: 'src/my file.ts' } as Finding;
    expect(artifactUri(finding)).toBe('src/my%20file.ts');
  });

  it('the validator rejects a result without a message (the test can fail)', () => {
    const log = toSarif(
      parseTrivyReport(trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }])).findings,
      SARIF_TOOLS.trivy,
    );
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });
});
