/**
 * Every field the parsers read has the type the tool writes, or the report is refused (REPORT_INVALID,
 * exit 3) naming the field: a `"3"` where Semgrep writes the number 3, or a list where Trivy writes an object,
 * is a report that was not written by the tool, and a gate that guessed would fail open. Found unguarded by
 * the mutation run's static mutants (the zod schemas are module-level constants). Formats: Trivy
 * pkg/types/report.go and friends; Semgrep semgrep_output_v1.atd (`position.line: int`, `cli_match_extra`,
 * `cli_error`, `skipped_target`).
 */
import { describe, expect, it } from 'vitest';
import { parseSemgrepReport } from '../../../src/core/security/semgrep.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { refusal } from '../support/refusal.ts';

const result = {
  check_id: 'r',
  path: 'a.py',
  start: { line: 1 },
  end: { line: 2 },
  extra: { severity: 'ERROR', message: 'm', fingerprint: 'f', is_ignored: false, metadata: {} },
};
const semgrep = (over: Record<string, unknown>) => ({
  results: [result],
  errors: [],
  paths: { skipped: [] },
  ...over,
});
const withExtra = (extra: Record<string, unknown>) =>
  semgrep({ results: [{ ...result, extra: { ...result.extra, ...extra } }] });

describe('Semgrep fields of the wrong type are refused, naming the field', () => {
  it.each<[string, unknown, string]>([
    [
      'a line that is a string',
      semgrep({ results: [{ ...result, start: { line: '1' } }] }),
      'results[0].start.line',
    ],
    [
      'an end line that is a string',
      semgrep({ results: [{ ...result, end: { line: '2' } }] }),
      'results[0].end.line',
    ],
    ['a message that is a number', withExtra({ message: 5 }), 'results[0].extra.message'],
    ['a fingerprint that is a number', withExtra({ fingerprint: 7 }), 'results[0].extra.fingerprint'],
    ['is_ignored that is a string', withExtra({ is_ignored: 'yes' }), 'results[0].extra.is_ignored'],
    ['metadata that is a string', withExtra({ metadata: 'x' }), 'results[0].extra.metadata'],
    ['a severity that is a number', withExtra({ severity: 3 }), 'results[0].extra.severity'],
    ['an error level that is a number', semgrep({ errors: [{ level: 2 }] }), 'errors[0].level'],
    ['an error message that is a list', semgrep({ errors: [{ message: ['m'] }] }), 'errors[0].message'],
    ['an error path that is a number', semgrep({ errors: [{ path: 1 }] }), 'errors[0].path'],
    ['skipped paths that are not a list', semgrep({ paths: { skipped: 'a.py' } }), 'paths.skipped'],
    [
      'a skipped path that is a number',
      semgrep({ paths: { skipped: [{ path: 1, reason: 'x' }] } }),
      'paths.skipped[0].path',
    ],
  ])('%s', (_name, doc, field) => {
    const error = refusal(() => parseSemgrepReport(doc, 's.json'));
    expect(error.code).toBe('REPORT_INVALID');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(
      `s.json is not a valid Semgrep JSON report, so the gate blocks: ${field}: `,
    );
  });
});

const vulnerability = { VulnerabilityID: 'CVE-1', PkgName: 'p', InstalledVersion: '1', Severity: 'HIGH' };
const misconfiguration = {
  ID: 'DS1',
  AVDID: 'AVD-DS-1',
  Severity: 'HIGH',
  Status: 'FAIL',
  Title: 't',
  CauseMetadata: { StartLine: 1 },
};
const secret = { RuleID: 'aws', Severity: 'HIGH', Title: 't', Category: 'AWS', StartLine: 1 };
const modified = {
  Type: 'vulnerability',
  Status: 'not_affected',
  Statement: 's',
  Source: 'vex.json',
  Finding: {},
};
const trivy = (result: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  SchemaVersion: 2,
  Trivy: { Version: '0.58.1' },
  Metadata: { OS: { Family: 'alpine', Name: '3.19' } },
  Results: [
    {
      Target: 't',
      Vulnerabilities: [vulnerability],
      Misconfigurations: [misconfiguration],
      Secrets: [secret],
      ExperimentalModifiedFindings: [modified],
      ...result,
    },
  ],
  ...top,
});

describe('Trivy fields of the wrong type are refused, naming the field', () => {
  it('the report with every part well typed is read', () => {
    const report = parseTrivyReport(trivy({}), 't.json');
    expect(report.findings.map((f) => f.kind)).toEqual(['vulnerability', 'misconfiguration', 'secret']);
    expect(report.suppressed).toHaveLength(1);
  });

  it.each<[string, unknown, string]>([
    ['Results that is an object', { ...trivy({}), Results: { Target: 't' } }, 'Results'],
    [
      'Vulnerabilities that is an object',
      trivy({ Vulnerabilities: vulnerability }),
      'Results[0].Vulnerabilities',
    ],
    [
      'a vulnerability title that is a number',
      trivy({ Vulnerabilities: [{ ...vulnerability, Title: 1 }] }),
      'Results[0].Vulnerabilities[0].Title',
    ],
    [
      'Misconfigurations that is a string',
      trivy({ Misconfigurations: 'none' }),
      'Results[0].Misconfigurations',
    ],
    [
      'a misconfiguration title that is a number',
      trivy({ Misconfigurations: [{ ...misconfiguration, Title: 1 }] }),
      'Results[0].Misconfigurations[0].Title',
    ],
    [
      'a cause line that is a string',
      trivy({ Misconfigurations: [{ ...misconfiguration, CauseMetadata: { StartLine: '1' } }] }),
      'Results[0].Misconfigurations[0].CauseMetadata.StartLine',
    ],
    [
      'a secret rule that is a number',
      trivy({ Secrets: [{ ...secret, RuleID: 1 }] }),
      'Results[0].Secrets[0].RuleID',
    ],
    [
      'a secret line that is a string',
      trivy({ Secrets: [{ ...secret, StartLine: '1' }] }),
      'Results[0].Secrets[0].StartLine',
    ],
    [
      'a suppression type that is a number',
      trivy({ ExperimentalModifiedFindings: [{ ...modified, Type: 1 }] }),
      'Results[0].ExperimentalModifiedFindings[0].Type',
    ],
    [
      'a suppressed finding that is a string',
      trivy({ ExperimentalModifiedFindings: [{ ...modified, Finding: 'x' }] }),
      'Results[0].ExperimentalModifiedFindings[0].Finding',
    ],
    ['a Trivy version that is a number', trivy({}, { Trivy: { Version: 58 } }), 'Trivy.Version'],
    ['an OS that is a string', trivy({}, { Metadata: { OS: 'alpine' } }), 'Metadata.OS'],
    ['an OS family that is a number', trivy({}, { Metadata: { OS: { Family: 1 } } }), 'Metadata.OS.Family'],
  ])('%s', (_name, doc, field) => {
    const error = refusal(() => parseTrivyReport(doc, 't.json'));
    expect(error.code).toBe('REPORT_INVALID');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(
      `t.json is not a valid Trivy JSON (SchemaVersion 2) report, so the gate blocks: ${field}: `,
    );
  });
});
