/**
 * Which waivers cover a finding (src/core/security/waiver.ts). A waiver that matches too much lets an
 * unreviewed finding through the gate, so each scope (id, alias, package, path glob) is checked both ways:
 * it matches what it names, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/security/finding.ts';
import type { Waiver } from '../../../src/core/security/policy.ts';
import { globToRegExp, WaiverIndex } from '../../../src/core/security/waiver.ts';

const base = {
  scanner: 'trivy',
  severity: 'HIGH',
  originalSeverity: 'HIGH',
  title: 't',
  description: 'd',
  references: [],
} as const;

const vuln = (over: Partial<Finding> = {}): Finding =>
  ({
    ...base,
    kind: 'vulnerability',
    id: 'f-vuln',
    ruleId: 'CVE-2024-0001',
    aliases: ['GHSA-xxxx-yyyy-zzzz'],
    target: 'app (alpine 3.19)',
    package: 'openssl',
    installedVersion: '3.1.0',
    fixedVersion: '3.1.1',
    status: 'fixed',
    originalStatus: 'fixed',
    ...over,
  }) as Finding;

const sast = (over: Partial<Finding> = {}): Finding =>
  ({
    ...base,
    scanner: 'semgrep',
    kind: 'sast',
    id: 'f-sast',
    ruleId: 'js.eval',
    aliases: [],
    target: 'src/lib/run.js',
    path: 'src/lib/run.js',
    line: 3,
    ...over,
  }) as Finding;

const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'CVE-2024-0001',
  reason: 'accepted',
  expires: '2999-01-01',
  ...over,
});

describe('globToRegExp', () => {
  it.each([
    // glob, matches, does not match
    ['src/*.js', ['src/a.js', 'src/.js'], ['src/lib/a.js', 'src/a.ts', 'xsrc/a.js', 'src/a.jsx']],
    ['src/**', ['src/a.js', 'src/lib/deep/a.js', 'src/'], ['src', 'lib/src/a.js']],
    ['src/**/a.js', ['src/a.js', 'src/lib/a.js', 'src/lib/deep/a.js'], ['src/b.js', 'src/lib/b.js']],
    [
      '**/test_*.py',
      ['test_a.py', 'pkg/test_a.py', 'a/b/test_c.py'],
      ['pkg/atest_a.py', 'latest_a.py', 'test_a.pyc'],
    ],
    ['src/**/vendor/*', ['src/vendor/a', 'src/x/y/vendor/a'], ['src/myvendor/a', 'src/x/notvendor/a']],
    ['a**/b', ['ab/b', 'a/x/b'], ['ab', 'axb', 'a/b/c']],
    ['a?c', ['abc', 'a.c'], ['ac', 'abbc', 'a/c']],
    ['v1.2/file(1)+[x]^$|{y}\\', ['v1.2/file(1)+[x]^$|{y}\\'], ['v1x2/file(1)+[x]^$|{y}\\', 'v1.2/file1']],
    ['**', ['', 'a', 'a/b/c'], []],
    ['a**b', ['ab', 'a/x/b', 'axb'], ['a/x/c']],
  ])('%s', (glob, yes, no) => {
    const re = globToRegExp(glob);
    for (const path of yes) expect(re.test(path), `${glob} should match ${path}`).toBe(true);
    for (const path of no) expect(re.test(path), `${glob} should not match ${path}`).toBe(false);
  });

  it('anchors the whole path: a glob never matches a part of it', () => {
    expect(globToRegExp('a.js').source).toBe('^a\\.js$');
    expect(globToRegExp('*').source).toBe('^[^/]*$');
    expect(globToRegExp('?').source).toBe('^[^/]$');
    expect(globToRegExp('**/').source).toBe('^(?:.*\\/)?$');
  });
});

describe('WaiverIndex.matching', () => {
  it('matches nothing when there are no waivers', () => {
    expect(new WaiverIndex([]).matching(vuln())).toEqual([]);
  });

  it('matches by rule id, by stable finding id and by alias', () => {
    const byRule = waiver();
    const byId = waiver({ id: 'f-vuln' });
    const byAlias = waiver({ id: 'GHSA-xxxx-yyyy-zzzz' });
    const other = waiver({ id: 'CVE-2024-9999' });
    expect(new WaiverIndex([byRule, other]).matching(vuln())).toEqual([byRule]);
    expect(new WaiverIndex([byId, other]).matching(vuln())).toEqual([byId]);
    expect(new WaiverIndex([byAlias, other]).matching(vuln())).toEqual([byAlias]);
    expect(new WaiverIndex([other]).matching(vuln())).toEqual([]);
  });

  it('lists every matching waiver once, also two waivers of the same id, in order', () => {
    const first = waiver({ reason: 'first' });
    const second = waiver({ reason: 'second' });
    const alias = waiver({ id: 'GHSA-xxxx-yyyy-zzzz' });
    expect(new WaiverIndex([first, second, alias]).matching(vuln())).toEqual([first, second, alias]);
    // the same waiver reached through the rule id and again through an alias equal to it
    const same = waiver();
    expect(new WaiverIndex([same]).matching(vuln({ aliases: ['CVE-2024-0001'] }))).toEqual([same]);
  });

  it('a package scope matches only vulnerabilities of that package', () => {
    const scoped = waiver({ package: 'openssl' });
    expect(new WaiverIndex([scoped]).matching(vuln())).toEqual([scoped]);
    expect(new WaiverIndex([scoped]).matching(vuln({ package: 'openssh' } as Partial<Finding>))).toEqual([]);
    // a SAST finding of a rule with the same id has no package: the scoped waiver does not cover it
    const rule = waiver({ id: 'js.eval', package: 'openssl' });
    expect(new WaiverIndex([rule]).matching(sast())).toEqual([]);
  });

  it('a path scope matches the target or the path, nothing else', () => {
    const onPath = waiver({ id: 'js.eval', path: 'src/**' });
    expect(new WaiverIndex([onPath]).matching(sast())).toEqual([onPath]);
    expect(
      new WaiverIndex([onPath]).matching(
        sast({ target: 'vendor/x.js', path: 'vendor/x.js' } as Partial<Finding>),
      ),
    ).toEqual([]);
    // the target matches (an image's target), the package path does not
    const onTarget = waiver({ path: 'app (alpine *)' });
    expect(new WaiverIndex([onTarget]).matching(vuln())).toEqual([onTarget]);
    // the path matches, the target does not (a language package inside an image)
    const onPkgPath = waiver({ path: 'usr/lib/node_modules/**' });
    expect(
      new WaiverIndex([onPkgPath]).matching(
        vuln({ path: 'usr/lib/node_modules/x/package.json' } as Partial<Finding>),
      ),
    ).toEqual([onPkgPath]);
    expect(new WaiverIndex([onPkgPath]).matching(vuln())).toEqual([]);
  });

  it('a path scope does not match a finding that has no path by the empty string', () => {
    const anything = waiver({ path: '*' });
    // '*' matches '' but a vulnerability without a path must be judged on its target only
    expect(new WaiverIndex([anything]).matching(vuln({ target: 'a/b' }))).toEqual([]);
    expect(new WaiverIndex([anything]).matching(vuln({ target: 'ab' }))).toEqual([anything]);
  });

  it('both scopes must match', () => {
    const both = waiver({ package: 'openssl', path: 'other/**' });
    expect(new WaiverIndex([both]).matching(vuln())).toEqual([]);
  });
});
