import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.ts';
import { isoDay, loadPolicy, parsePolicy } from '../../../src/core/security/policy.ts';
import { repoRoot } from './helpers.ts';

/** A policy with only the required fields. */
const base = `version: 1
vulnerabilities:
  block: [CRITICAL]
secrets:
  block: [HIGH]
misconfigurations:
  block: []
sast:
  block: [HIGH]
`;

const valid = `${base.replace('block: [CRITICAL]\n', 'block: [CRITICAL]\n  ignoreUnfixed: true\n')}waivers:
  - id: CVE-2024-0001
    reason: not reachable
    expires: 2030-01-31
    package: openssl
`;

function errorOf(text: string): InputError {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('shipped policies', () => {
  it('default blocks CRITICAL/HIGH fixed vulns, any secret, CRITICAL/HIGH misconfig, HIGH+ SAST', async () => {
    const policy = await loadPolicy(join(repoRoot, 'policies/default.yaml'));
    expect(policy.vulnerabilities).toEqual({ block: ['CRITICAL', 'HIGH'], ignoreUnfixed: true });
    expect(policy.secrets.block).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
    expect(policy.misconfigurations.block).toEqual(['CRITICAL', 'HIGH']);
    expect(policy.sast.block).toEqual(['CRITICAL', 'HIGH']);
    expect(policy.waivers).toEqual([]);
  });

  it('strict also blocks MEDIUM and unfixed vulnerabilities', async () => {
    const policy = await loadPolicy(join(repoRoot, 'policies/strict.yaml'));
    expect(policy.vulnerabilities).toEqual({ block: ['CRITICAL', 'HIGH', 'MEDIUM'], ignoreUnfixed: false });
    for (const kind of ['misconfigurations', 'sast'] as const) expect(policy[kind].block).toContain('MEDIUM');
  });
});

describe('parsePolicy', () => {
  it('parses a valid policy with a scoped waiver', () => {
    const policy = parsePolicy(valid, 'p.yaml');
    expect(policy.waivers).toEqual([
      { id: 'CVE-2024-0001', reason: 'not reachable', expires: '2030-01-31', package: 'openssl' },
    ]);
  });

  it('points at the line and column of a bad severity, with the field path', () => {
    const error = errorOf(valid.replace('block: [HIGH]\nmisc', 'block: [HIGH, SEVERE]\nmisc'));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toContain('p.yaml:6:17: secrets.block[1]:');
  });

  it.each([
    [
      'a missing reason',
      valid.replace('    reason: not reachable\n', ''),
      'p.yaml:12:5: waivers[0].reason: reason is required',
    ],
    [
      'an empty reason',
      valid.replace('reason: not reachable', "reason: ''"),
      'p.yaml:13:13: waivers[0].reason',
    ],
    ['a missing expiry', valid.replace('    expires: 2030-01-31\n', ''), 'waivers[0].expires'],
    [
      'a malformed date',
      valid.replace('2030-01-31', '31/01/2030'),
      'p.yaml:14:14: waivers[0].expires: expected a date YYYY-MM-DD',
    ],
    [
      'an impossible date',
      valid.replace('2030-01-31', '2030-02-31'),
      'waivers[0].expires: not a calendar date',
    ],
    [
      'an unknown key',
      valid.replace('ignoreUnfixed', 'ignoreUnfixd'),
      'p.yaml:4:3: vulnerabilities.ignoreUnfixd',
    ],
    ['a missing section', valid.replace('sast:\n  block: [HIGH]\n', ''), 'p.yaml:1:1: sast:'],
    ['a wrong version', valid.replace('version: 1', 'version: 2'), 'p.yaml:1:10: version'],
  ])('rejects %s', (_name, text, expected) => {
    expect(errorOf(text).message).toContain(expected);
  });

  it('reports YAML syntax errors with their position', () => {
    const error = errorOf('version: 1\nsecrets: [HIGH\n');
    expect(error.code).toBe('POLICY_SYNTAX');
    expect(error.message).toMatch(/\n {2}p\.yaml:\d+:\d+: /);
  });

  it('lists every problem, not just the first', () => {
    const error = errorOf(
      valid.replace('reason: not reachable', "reason: ''").replace('version: 1', 'version: 3'),
    );
    expect(error.message.split('\n').filter((l) => /^\s+p\.yaml:\d+:\d+: /.test(l))).toHaveLength(2);
  });

  it('loadPolicy names a missing file, and says where the policy is set', async () => {
    await expect(loadPolicy('/nonexistent/policy.yaml')).rejects.toMatchObject({
      code: 'POLICY_MISSING',
      exitCode: 2,
      message: 'policy file /nonexistent/policy.yaml cannot be read',
      hint: 'Set `policy` in gantry.yaml to an existing file (default: policies/default.yaml, shipped with gantry); `gantry gate` takes it as --policy FILE.',
    });
  });

  it('an invalid or empty policy is called a security policy, and the fix points at the shipped one', () => {
    const reference =
      'See policies/default.yaml for the shape: version, vulnerabilities, secrets, misconfigurations, sast, waivers, scanErrors, allowRepositorySuppressions.';
    const invalid = errorOf('version: 2\n');
    expect(invalid.message).toMatch(/^p\.yaml: the security policy has /);
    expect(invalid.hint).toContain(reference);
    const empty = errorOf('');
    expect(empty).toMatchObject({ code: 'POLICY_EMPTY', message: 'p.yaml: the security policy is empty' });
    expect(empty.hint).toBe(`write the security policy (at least the required fields). ${reference}`);
  });
});

describe('isoDay', () => {
  it('is the UTC date', () => expect(isoDay(new Date('2025-03-04T23:59:59Z'))).toBe('2025-03-04'));
});

/**
 * The schema's defaults and refusals, which the mutation run's static mutants (module-level schema constants)
 * found unguarded. A default decides as much as a written value: a policy that leaves out `ignoreUnfixed`
 * must block unfixed vulnerabilities, not silently let them through.
 */
const problems = (text: string) => errorOf(text).message;

const withWaiver = (fields: string) => `${base}waivers:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;
const withScanError = (fields: string) =>
  `${base}scanErrors:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;

describe('policy defaults', () => {
  it('unfixed vulnerabilities count, no waivers, repository suppressions allowed, when the policy says nothing', () => {
    const policy = parsePolicy(base, 'p.yaml');
    expect(policy.vulnerabilities).toEqual({ block: ['CRITICAL'], ignoreUnfixed: false });
    expect(policy.waivers).toEqual([]);
    expect(policy.scanErrors).toEqual([]);
    expect(policy.allowRepositorySuppressions).toBe(true);
  });
});

describe('policy fields', () => {
  it('takes a waiver scoped by package and path, and a scan-error waiver scoped by type', () => {
    const policy = parsePolicy(
      `${withWaiver('id: CVE-2024-0001\nreason: r\nexpires: "2030-01-31"\npackage: openssl\npath: "vendor/**"')}` +
        'scanErrors:\n  - path: "src/generated/*.js"\n    type: Timeout\n    reason: generated\n    expires: "2030-01-31"\n',
      'p.yaml',
    );
    expect(policy.waivers).toEqual([
      { id: 'CVE-2024-0001', reason: 'r', expires: '2030-01-31', package: 'openssl', path: 'vendor/**' },
    ]);
    expect(policy.scanErrors).toEqual([
      { path: 'src/generated/*.js', type: 'Timeout', reason: 'generated', expires: '2030-01-31' },
    ]);
  });

  it('a block that is not a list names the severities allowed', () => {
    expect(problems(base.replace('block: [CRITICAL]', 'block: HIGH'))).toContain(
      'expected a list of severities (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)',
    );
  });

  it.each([
    ['an empty id', 'id: ""\nreason: r\nexpires: "2030-01-31"', 'id is required'],
    ['a blank id', 'id: "   "\nreason: r\nexpires: "2030-01-31"', 'id is required'],
    ['a blank reason', 'id: CVE-1\nreason: " "\nexpires: "2030-01-31"', 'reason is required'],
  ])('a waiver with %s is refused, naming the field', (_name, fields, message) => {
    expect(problems(withWaiver(fields))).toContain(message);
  });

  it.each([
    ['no path', 'reason: r\nexpires: "2030-01-31"', 'path is required'],
    ['a blank path', 'path: " "\nreason: r\nexpires: "2030-01-31"', 'path is required'],
    ['a blank reason', 'path: "vendor/**"\nreason: ""\nexpires: "2030-01-31"', 'reason is required'],
    ['an empty type', 'path: "vendor/**"\ntype: ""\nreason: r\nexpires: "2030-01-31"', 'type'],
    ['an unknown field', 'path: "vendor/**"\nreason: r\nexpires: "2030-01-31"\nrule: x', 'rule'],
  ])('a scan-error waiver with %s is refused', (_name, fields, message) => {
    expect(problems(withScanError(fields))).toContain(message);
  });

  it.each([
    ['a date with one-digit month and day', '2025-6-1'],
    ['text before the date', 'x2025-12-31'],
    ['text after the date', '2025-12-31x'],
    ['a date and a time', '2025-12-31T00:00:00Z'],
  ])('%s is not YYYY-MM-DD (and no calendar check runs on it)', (_name, expires) => {
    const message = problems(withWaiver(`id: CVE-1\nreason: r\nexpires: "${expires}"`));
    expect(message).toContain('expected a date YYYY-MM-DD');
    expect(message).not.toContain('not a calendar date');
  });

  it('an expiry YAML reads as a number says to quote it', () => {
    expect(problems(withWaiver('id: CVE-1\nreason: r\nexpires: 20251231'))).toContain(
      'expected a date YYYY-MM-DD (quote it if YAML reads it as something else)',
    );
  });
});
