import { describe, expect, it } from 'vitest';
import { escapeXml, gateJUnitSuite, toJUnitXml } from '../../../src/core/reports/junit.ts';
import { evaluateGate } from '../../../src/core/security/gate.ts';
import { parsePolicy } from '../../../src/core/security/policy.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { trivyReport, vuln } from '../security/helpers.ts';

describe('toJUnitXml', () => {
  it('renders suites, cases, failures and skips with counts', () => {
    const xml = toJUnitXml([
      {
        name: 'unit',
        cases: [
          { name: 'adds', classname: 'math', time: 0.01 },
          {
            name: 'divides',
            classname: 'math',
            failure: { message: 'expected 2 < 3', type: 'AssertionError' },
          },
          { name: 'later', classname: 'math', skipped: 'todo' },
        ],
      },
    ]);
    expect(xml).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="gantry" tests="3" failures="1" errors="0">
        <testsuite name="unit" tests="3" failures="1" errors="0" skipped="1">
          <testcase name="adds" classname="math" time="0.01"/>
          <testcase name="divides" classname="math">
            <failure message="expected 2 &lt; 3" type="AssertionError">expected 2 &lt; 3</failure>
          </testcase>
          <testcase name="later" classname="math">
            <skipped message="todo"/>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'\u0001b`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;b');
  });
});

describe('gateJUnitSuite', () => {
  const policy = parsePolicy(
    `version: 1
vulnerabilities: {block: [HIGH], ignoreUnfixed: true}
secrets: {block: [HIGH]}
misconfigurations: {block: [HIGH]}
sast: {block: [HIGH]}
waivers:
  - {id: CVE-2024-0002, reason: "not <reachable>", expires: 2999-01-01}
`,
    'p.yaml',
  );
  const report = parseTrivyReport(
    trivyReport([{ Target: 'a', Vulnerabilities: [vuln(), vuln({ VulnerabilityID: 'CVE-2024-0002' })] }]),
  );

  it('fails one case per blocking finding plus the gate, skips waived ones', () => {
    const suite = gateJUnitSuite(evaluateGate([report], policy));
    expect(suite.cases.map((c) => [c.name, c.failure !== undefined, c.skipped])).toEqual([
      ['CVE-2024-0001 openssl@1.0.0', true, undefined],
      ['CVE-2024-0002 openssl@1.0.0', false, 'waived until 2999-01-01: not <reachable>'],
      ['policy gate', true, undefined],
    ]);
    const xml = toJUnitXml([suite]);
    expect(xml).toContain('tests="3" failures="2"');
    expect(xml).toContain('not &lt;reachable&gt;');
  });

  it('passes the gate case when nothing blocks', () => {
    const suite = gateJUnitSuite(evaluateGate([parseTrivyReport(trivyReport([]))], policy));
    expect(suite.cases).toEqual([{ name: 'policy gate', classname: 'gate' }]);
  });
});
