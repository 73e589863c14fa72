import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.ts';
import { isoDay, loadPolicy, parsePolicy } from '../../../src/core/security/policy.ts';
import { repoRoot } from './helpers.ts';

const valid = `version: 1
vulnerabilities:
  block: [CRITICAL]
  ignoreUnfixed: true
secrets:
  block: [HIGH]
misconfigurations:
  block: []
sast:
  block: [HIGH]
waivers:
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
