/**
 * Field by field, what the Trivy and Semgrep parsers make of each field of the tool's JSON, including the
 * fallbacks for fields older versions leave out. The gate, the waivers and the CI reports read these fields:
 * a wrong title is cosmetic, a wrong rule id, package, path or line makes a waiver match the wrong finding,
 * and a wrong stable id merges two findings into one. Formats: Trivy pkg/types/report.go,
 * vulnerability.go, misconfiguration.go, secret.go (SchemaVersion 2; `Status` since v0.44,
 * `ExperimentalModifiedFindings` since v0.50); Semgrep interfaces/semgrep_interfaces/semgrep_output_v1.atd
 * (`cli_match`, `cli_error`, `skipped_target`).
 */
import { describe, expect, it } from 'vitest';
import { findingId } from '../../../src/core/security/finding.ts';
import { parseSemgrepReport } from '../../../src/core/security/semgrep.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';

const trivy = (results: unknown[], top: Record<string, unknown> = {}) =>
  parseTrivyReport({ SchemaVersion: 2, Results: results, ...top }, 'trivy.json');
const semgrep = (doc: Record<string, unknown>) => parseSemgrepReport({ results: [], ...doc }, 'semgrep.json');

describe('Trivy: the report', () => {
  it('takes the version, artifact and operating system when present', () => {
    const report = trivy([], {
      ArtifactName: 'app:1',
      Trivy: { Version: '0.58.1' },
      Metadata: { OS: { Family: 'alpine', Name: '3.19.1' } },
    });
    expect(report).toEqual({
      scanner: 'trivy',
      scannerVersion: '0.58.1',
      source: 'trivy.json',
      artifactName: 'app:1',
      operatingSystem: 'alpine 3.19.1',
      findings: [],
      duplicates: 0,
      suppressed: [],
      errors: [],
    });
  });

  it('leaves them out when absent, and names an OS without a version by its family', () => {
    expect(Object.keys(trivy([]))).toEqual([
      'scanner',
      'source',
      'findings',
      'duplicates',
      'suppressed',
      'errors',
    ]);
    expect(trivy([], { Metadata: { OS: { Family: 'debian' } } }).operatingSystem).toBe('debian');
    expect(trivy([], { Metadata: { OS: { Name: '12' } } }).operatingSystem).toBeUndefined();
    expect(parseTrivyReport({ SchemaVersion: 2 }).source).toBe('<input>');
  });
});

describe('Trivy: vulnerabilities', () => {
  const full = {
    VulnerabilityID: 'CVE-2024-0001',
    PkgName: 'lodash',
    PkgPath: 'app/node_modules/lodash/package.json',
    InstalledVersion: '4.17.20',
    FixedVersion: '4.17.21',
    Status: 'fixed',
    Severity: 'HIGH',
    Title: 'prototype pollution',
    Description: 'long text',
    PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2024-0001',
    References: ['https://nvd.nist.gov/vuln/detail/CVE-2024-0001'],
  };

  it('maps every field', () => {
    const [finding] = trivy([{ Target: 'app:1 (alpine 3.19)', Vulnerabilities: [full] }]).findings;
    expect(finding).toEqual({
      kind: 'vulnerability',
      id: findingId({
        scanner: 'trivy',
        kind: 'vulnerability',
        ruleId: 'CVE-2024-0001',
        target: 'app:1 (alpine 3.19)',
        location: 'app/node_modules/lodash/package.json:lodash@4.17.20',
      }),
      scanner: 'trivy',
      ruleId: 'CVE-2024-0001',
      aliases: [],
      severity: 'HIGH',
      originalSeverity: 'HIGH',
      target: 'app:1 (alpine 3.19)',
      title: 'prototype pollution',
      description: 'long text',
      references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-0001'],
      package: 'lodash',
      installedVersion: '4.17.20',
      fixedVersion: '4.17.21',
      status: 'fixed',
      originalStatus: 'fixed',
      path: 'app/node_modules/lodash/package.json',
    });
  });

  it('fills what an old or sparse report leaves out', () => {
    const [finding] = trivy([
      { Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-0002', Severity: 'LOW' }] },
    ]).findings;
    expect(finding).toEqual({
      kind: 'vulnerability',
      id: findingId({
        scanner: 'trivy',
        kind: 'vulnerability',
        ruleId: 'CVE-2024-0002',
        target: 't',
        location: '@',
      }),
      scanner: 'trivy',
      ruleId: 'CVE-2024-0002',
      aliases: [],
      severity: 'LOW',
      originalSeverity: 'LOW',
      target: 't',
      title: 'CVE-2024-0002',
      description: '',
      references: [],
      package: '',
      installedVersion: '',
      fixedVersion: '',
      status: 'affected',
      originalStatus: '',
    });
    // no PkgPath: no path at all (toEqual would take an undefined path as absent)
    expect(finding).not.toHaveProperty('path');
  });

  it('uses the PrimaryURL when there is no References list', () => {
    const { PrimaryURL, VulnerabilityID, Severity } = full;
    const [finding] = trivy([
      { Target: 't', Vulnerabilities: [{ VulnerabilityID, Severity, PrimaryURL }] },
    ]).findings;
    expect(finding?.references).toEqual([PrimaryURL]);
  });

  it('a package at two paths is two findings; the same package twice is one', () => {
    const at = (PkgPath?: string) => ({ ...full, PkgPath });
    const report = trivy([
      { Target: 't', Vulnerabilities: [at('a/package.json'), at('b/package.json'), at()] },
    ]);
    expect(report.findings.map((f) => ('path' in f ? f.path : undefined))).toEqual([
      'a/package.json',
      'b/package.json',
      undefined,
    ]);
    expect(trivy([{ Target: 't', Vulnerabilities: [at('a'), at('a')] }]).duplicates).toBe(1);
  });

  it('names the target and the id of a vulnerability with a severity Trivy does not write', () => {
    expect(() =>
      trivy([{ Target: 'img', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'SEVERE' }] }]),
    ).toThrow(
      'trivy.json is not a valid Trivy report, so the gate blocks: severity "SEVERE" of img: CVE-1 is not',
    );
  });
});

describe('Trivy: misconfigurations', () => {
  const check = {
    ID: 'DS002',
    AVDID: 'AVD-DS-0002',
    Title: 'Image user should not be root',
    Description: 'Running as root',
    Message: 'Specify at least 1 USER command',
    Resolution: 'Add USER',
    Severity: 'HIGH',
    Status: 'FAIL',
    PrimaryURL: 'https://avd.aquasec.com/misconfig/ds002',
    References: ['https://docs.docker.com/develop/develop-images/dockerfile_best-practices/'],
    CauseMetadata: { StartLine: 3 },
  };

  it('maps every field: rule id AVDID, the short ID as an alias, the message as description', () => {
    const [finding] = trivy([{ Target: 'Dockerfile', Misconfigurations: [check] }]).findings;
    expect(finding).toEqual({
      kind: 'misconfiguration',
      id: findingId({
        scanner: 'trivy',
        kind: 'misconfiguration',
        ruleId: 'AVD-DS-0002',
        target: 'Dockerfile',
        location: 'Dockerfile',
        line: 3,
      }),
      scanner: 'trivy',
      ruleId: 'AVD-DS-0002',
      aliases: ['DS002'],
      severity: 'HIGH',
      originalSeverity: 'HIGH',
      target: 'Dockerfile',
      title: 'Image user should not be root',
      description: 'Specify at least 1 USER command',
      references: ['https://docs.docker.com/develop/develop-images/dockerfile_best-practices/'],
      path: 'Dockerfile',
      line: 3,
      resolution: 'Add USER',
    });
  });

  it('fills what is left out: ID alone, no message, no line, no references', () => {
    const [finding] = trivy([
      {
        Target: 'k8s.yaml',
        Misconfigurations: [{ ID: 'KSV001', Severity: 'LOW', Description: 'desc', Status: 'FAIL' }],
      },
    ]).findings;
    expect(finding).toEqual({
      kind: 'misconfiguration',
      id: findingId({
        scanner: 'trivy',
        kind: 'misconfiguration',
        ruleId: 'KSV001',
        target: 'k8s.yaml',
        location: 'k8s.yaml',
      }),
      scanner: 'trivy',
      ruleId: 'KSV001',
      aliases: [],
      severity: 'LOW',
      originalSeverity: 'LOW',
      target: 'k8s.yaml',
      title: 'KSV001',
      description: 'desc',
      references: [],
      path: 'k8s.yaml',
    });
  });

  it('a check without any id is still counted, as unknown-check; PrimaryURL stands in for References', () => {
    const [finding] = trivy([
      {
        Target: 'x.tf',
        Misconfigurations: [{ Severity: 'MEDIUM', PrimaryURL: 'https://u', Status: 'FAIL' }],
      },
    ]).findings;
    expect(finding).toMatchObject({
      ruleId: 'unknown-check',
      aliases: [],
      title: 'unknown-check',
      description: '',
    });
    expect(finding?.references).toEqual(['https://u']);
  });

  it('counts a failure without a status (fail closed), skips PASS and EXCEPTION', () => {
    const { Status: _, ...noStatus } = check;
    const report = trivy([
      {
        Target: 'Dockerfile',
        Misconfigurations: [
          noStatus,
          { ...check, Status: 'PASS', ID: 'P' },
          { ...check, Status: 'EXCEPTION', ID: 'E' },
        ],
      },
    ]);
    expect(report.findings.map((f) => f.aliases)).toEqual([['DS002']]);
  });

  it('names the target and the rule of a misconfiguration with a severity Trivy does not write', () => {
    expect(() =>
      trivy([{ Target: 'Dockerfile', Misconfigurations: [{ ...check, Severity: 'BAD' }] }]),
    ).toThrow('severity "BAD" of Dockerfile: AVD-DS-0002 is not');
    expect(() =>
      trivy([{ Target: 'Dockerfile', Misconfigurations: [{ ID: 'DS1', Severity: null, Status: 'FAIL' }] }]),
    ).toThrow('severity null of Dockerfile: DS1 is not');
  });
});

describe('Trivy: secrets', () => {
  it('maps every field and never the matched text', () => {
    const [finding] = trivy([
      {
        Target: 'config/.env',
        Secrets: [
          {
            RuleID: 'aws-access-key-id',
            Category: 'AWS',
            Severity: 'CRITICAL',
            Title: 'AWS Access Key ID',
            StartLine: 4,
            Match: 'AWS_ACCESS_KEY_ID=********',
          },
        ],
      },
    ]).findings;
    expect(finding).toEqual({
      kind: 'secret',
      id: findingId({
        scanner: 'trivy',
        kind: 'secret',
        ruleId: 'aws-access-key-id',
        target: 'config/.env',
        location: 'config/.env',
        line: 4,
      }),
      scanner: 'trivy',
      ruleId: 'aws-access-key-id',
      aliases: [],
      severity: 'CRITICAL',
      originalSeverity: 'CRITICAL',
      target: 'config/.env',
      title: 'AWS Access Key ID',
      description: 'AWS Access Key ID',
      references: [],
      path: 'config/.env',
      line: 4,
      category: 'AWS',
    });
  });

  it('fills what is left out', () => {
    const [finding] = trivy([{ Target: 'a', Secrets: [{ RuleID: 'generic', Severity: 'HIGH' }] }]).findings;
    expect(finding).toEqual(
      expect.objectContaining({ title: 'generic', description: '', path: 'a', originalSeverity: 'HIGH' }),
    );
    expect(finding).not.toHaveProperty('line');
    expect(finding).not.toHaveProperty('category');
  });

  it('names the target and rule of a secret with a severity Trivy does not write', () => {
    expect(() => trivy([{ Target: 'a', Secrets: [{ RuleID: 'generic', Severity: 'crit' }] }])).toThrow(
      'severity "crit" of a: generic is not',
    );
  });
});

describe('Trivy: suppressed findings (ExperimentalModifiedFindings)', () => {
  const suppressedOf = (entry: Record<string, unknown>) =>
    trivy([{ Target: 'img', ExperimentalModifiedFindings: [entry] }]).suppressed;

  it('takes the kind, rule, package, status, statement and source', () => {
    expect(
      suppressedOf({
        Type: 'vulnerability',
        Status: 'not_affected',
        Statement: 'vulnerable_code_not_in_execute_path',
        Source: 'vex.json',
        Finding: { VulnerabilityID: 'CVE-1', PkgName: 'musl', InstalledVersion: '1.2.3' },
      }),
    ).toEqual([
      {
        kind: 'vulnerability',
        ruleId: 'CVE-1',
        location: 'img: musl@1.2.3',
        status: 'not_affected',
        statement: 'vulnerable_code_not_in_execute_path',
        source: 'vex.json',
      },
    ]);
  });

  it.each([
    ['misconfiguration', { AVDID: 'AVD-1', ID: 'DS1' }, 'AVD-1'],
    ['misconfiguration', { ID: 'DS1' }, 'DS1'],
    ['secret', { RuleID: 'aws' }, 'aws'],
    ['license', { Name: 'GPL-3.0' }, 'GPL-3.0'],
    ['something-new', { Name: 7 }, ''],
  ])('a %s suppression names its rule %j', (type, finding, ruleId) => {
    const [entry] = suppressedOf({ Type: type, Finding: finding });
    expect(entry).toEqual({
      kind: type === 'something-new' ? 'vulnerability' : type,
      ruleId,
      location: 'img',
      status: '',
      statement: '',
      source: '',
    });
  });

  it('keeps an entry without a Finding', () => {
    expect(suppressedOf({ Type: 'secret' })).toEqual([
      { kind: 'secret', ruleId: '', location: 'img', status: '', statement: '', source: '' },
    ]);
  });
});

describe('Semgrep', () => {
  const result = (extra: Record<string, unknown> = {}, over: Record<string, unknown> = {}) => ({
    check_id: 'javascript.lang.security.eval.eval-detected',
    path: 'src/run.js',
    start: { line: 3, col: 1, offset: 10 },
    end: { line: 5, col: 2, offset: 40 },
    extra: { severity: 'ERROR', message: 'eval is dangerous', fingerprint: 'abc', ...extra },
    ...over,
  });

  it('maps every field of a result', () => {
    const report = semgrep({
      version: '1.95.0',
      results: [
        result({ metadata: { source: 'https://semgrep.dev/r/x', references: ['https://owasp.org/a'] } }),
      ],
    });
    expect(report).toEqual({
      scanner: 'semgrep',
      scannerVersion: '1.95.0',
      source: 'semgrep.json',
      findings: [
        {
          kind: 'sast',
          id: findingId({
            scanner: 'semgrep',
            kind: 'sast',
            ruleId: 'javascript.lang.security.eval.eval-detected',
            target: 'src/run.js',
            location: 'src/run.js',
            line: 3,
          }),
          scanner: 'semgrep',
          ruleId: 'javascript.lang.security.eval.eval-detected',
          aliases: [],
          severity: 'HIGH',
          originalSeverity: 'ERROR',
          target: 'src/run.js',
          title: 'eval-detected',
          description: 'eval is dangerous',
          references: ['https://semgrep.dev/r/x', 'https://owasp.org/a'],
          path: 'src/run.js',
          line: 3,
          endLine: 5,
          fingerprint: 'abc',
        },
      ],
      duplicates: 0,
      suppressed: [],
      errors: [],
    });
  });

  it('fills what is left out', () => {
    const report = parseSemgrepReport({
      results: [{ check_id: 'r', path: 'a.py', start: { line: 1 }, extra: { severity: 'INFO' } }],
    });
    expect(report.source).toBe('<input>');
    expect(report).not.toHaveProperty('scannerVersion');
    expect(report.findings).toEqual([
      {
        kind: 'sast',
        id: findingId({
          scanner: 'semgrep',
          kind: 'sast',
          ruleId: 'r',
          target: 'a.py',
          location: 'a.py',
          line: 1,
        }),
        scanner: 'semgrep',
        ruleId: 'r',
        aliases: [],
        severity: 'LOW',
        originalSeverity: 'INFO',
        target: 'a.py',
        title: 'r',
        description: '',
        references: [],
        path: 'a.py',
        line: 1,
      },
    ]);
  });

  it.each([
    ['a single reference string', { references: 'https://a' }, ['https://a']],
    ['a source and no references', { source: 'https://s' }, ['https://s']],
    ['references that are not strings', { references: ['https://a', 3, null], source: 4 }, ['https://a']],
    ['a references object', { references: { a: 1 } }, []],
  ])('references: %s', (_name, metadata, expected) => {
    const [finding] = semgrep({ results: [result({ metadata })] }).findings;
    expect(finding?.references).toEqual(expected);
  });

  it('an empty fingerprint is dropped like "requires login"', () => {
    const [finding] = semgrep({ results: [result({ fingerprint: '' })] }).findings;
    expect(finding).not.toHaveProperty('fingerprint');
  });

  it('names the rule and place of a result with a severity Semgrep does not write', () => {
    expect(() => semgrep({ results: [result({ severity: 'BLOCKER' })] })).toThrow(
      'semgrep.json is not a valid Semgrep report, so the gate blocks: severity "BLOCKER" of ' +
        'javascript.lang.security.eval.eval-detected at src/run.js:3 is not one Semgrep writes (ERROR, WARNING, INFO, ' +
        'CRITICAL, HIGH, MEDIUM, LOW, EXPERIMENT, INVENTORY)',
    );
    expect(() => semgrep({ results: [result({ severity: 'toString' })] })).toThrow('severity "toString"');
  });

  it('an ignored result is suppressed with its place; only semgrepignore skips are', () => {
    const report = semgrep({
      results: [result({ is_ignored: true })],
      paths: {
        skipped: [
          { path: 'vendor/x.js', reason: 'semgrepignore_patterns_match' },
          { path: 'big.js', reason: 'exceeded_size_limit' },
        ],
      },
    });
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      {
        kind: 'sast',
        ruleId: 'javascript.lang.security.eval.eval-detected',
        location: 'src/run.js:3',
        status: 'ignored',
        statement: 'nosemgrep comment',
        source: 'src/run.js',
      },
      {
        kind: 'sast',
        ruleId: '*',
        location: 'vendor/x.js',
        status: 'skipped',
        statement: 'path matched .semgrepignore',
        source: '.semgrepignore',
      },
    ]);
  });

  it.each([
    [
      { level: 'error', type: 'Syntax error', message: 'm', path: 'a.js' },
      { level: 'error', type: 'Syntax error', message: 'm', path: 'a.js' },
    ],
    [
      { level: 'WARN', type: ['PartialParsing', []] },
      { level: 'warn', type: 'PartialParsing', message: '' },
    ],
    [
      { level: 'warning', type: 'Timeout' },
      { level: 'warn', type: 'Timeout', message: '' },
    ],
    [
      { level: 'info', type: 'X' },
      { level: 'warn', type: 'X', message: '' },
    ],
    [{ level: 'fatal' }, { level: 'error', type: 'error', message: '' }],
    [{}, { level: 'error', type: 'error', message: '' }],
    [
      { level: 'error', path: '' },
      { level: 'error', type: 'error', message: '' },
    ],
  ])('scan error %j', (error, expected) => {
    expect(semgrep({ errors: [error] }).errors).toEqual([expected]);
  });
});
