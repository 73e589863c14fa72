/**
 * The policy schema's defaults and refusals (src/core/security/policy.ts), which the mutation run's static
 * mutants (module-level schema constants) found unguarded. A default decides as much as a written value: a
 * policy that leaves out `ignoreUnfixed` must block unfixed vulnerabilities, not silently let them through.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.ts';
import { parsePolicy } from '../../../src/core/security/policy.ts';

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

function problems(text: string): string {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('expected parsePolicy to refuse the policy');
}

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
    ['no reason', 'id: CVE-1\nexpires: "2030-01-31"', 'reason is required'],
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

  it('a well-formed day that does not exist is not a calendar date', () => {
    expect(problems(withWaiver('id: CVE-1\nreason: r\nexpires: "2025-02-30"'))).toContain(
      'not a calendar date',
    );
  });

  it('an expiry YAML reads as a number says to quote it', () => {
    expect(problems(withWaiver('id: CVE-1\nreason: r\nexpires: 20251231'))).toContain(
      'expected a date YYYY-MM-DD (quote it if YAML reads it as something else)',
    );
  });
});
