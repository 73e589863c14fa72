/**
 * JUnit XML writer (testsuites/testsuite/testcase/failure), read by GitLab, Jenkins and GitHub test
 * reporters; plus the mapping of a gate verdict to a test suite.
 */
import { findingLocation } from '../security/finding.ts';
import type { GateVerdict } from '../security/gate.ts';

/** One test case. */
export interface JUnitCase {
  readonly name: string;
  readonly classname: string;
  /** Seconds. */
  readonly time?: number;
  /** Present when the case failed. */
  readonly failure?: { readonly message: string; readonly type?: string; readonly text?: string };
  /** Present when the case was skipped: the reason. */
  readonly skipped?: string;
}

/** One test suite. */
export interface JUnitSuite {
  readonly name: string;
  readonly cases: readonly JUnitCase[];
  /** Seconds. */
  readonly time?: number;
  /** When the suite ran. */
  readonly timestamp?: Date;
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const attrs = (pairs: Record<string, string | number | undefined>) =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');

function testcase(c: JUnitCase): string {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: c.time })}`;
  if (c.failure) {
    const f = c.failure;
    return `${open}>\n      <failure${attrs({ message: f.message, type: f.type })}>${escapeXml(f.text ?? f.message)}</failure>\n    </testcase>`;
  }
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped${attrs({ message: c.skipped })}/>\n    </testcase>`;
  return `${open}/>`;
}

/** Renders suites as a JUnit XML document. */
export function toJUnitXml(suites: readonly JUnitSuite[], name = 'gantry'): string {
  const count = (pick: (c: JUnitCase) => boolean) =>
    suites.reduce((n, s) => n + s.cases.filter(pick).length, 0);
  const tests = count(() => true);
  const failures = count((c) => c.failure !== undefined);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, tests, failures, errors: 0 })}>`,
  ];
  for (const s of suites) {
    const head = attrs({
      name: s.name,
      tests: s.cases.length,
      failures: s.cases.filter((c) => c.failure).length,
      errors: 0,
      skipped: s.cases.filter((c) => c.skipped !== undefined).length,
      time: s.time,
      timestamp: s.timestamp?.toISOString().slice(0, 19),
    });
    lines.push(`  <testsuite${head}>`, ...s.cases.map(testcase), '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * A gate verdict as a test suite: a failing case per blocking finding and per blocking scan error, a passing
 * case per waived finding, and one overall `policy gate` case.
 */
export function gateJUnitSuite(verdict: GateVerdict, name = 'security gate'): JUnitSuite {
  const cases: JUnitCase[] = [
    ...verdict.blocking.map(({ finding, reason }) => ({
      name: `${finding.ruleId} ${findingLocation(finding)}`,
      classname: `gate.${finding.kind}`,
      failure: {
        message: reason,
        type: finding.severity,
        text: `${reason}\n${finding.title}\nfinding ${finding.id}`,
      },
    })),
    ...verdict.blockingErrors.map((e) => ({
      name: `scan error in ${e.source}`,
      classname: 'gate.scan',
      failure: { message: `${e.type}: ${e.message}`, type: 'scan-error' },
    })),
    ...verdict.waived.map(({ finding, waiver }) => ({
      name: `${finding.ruleId} ${findingLocation(finding)}`,
      classname: `gate.${finding.kind}`,
      skipped: `waived until ${waiver.expires}: ${waiver.reason}`,
    })),
  ];
  cases.push({
    name: 'policy gate',
    classname: 'gate',
    ...(verdict.blocked ? { failure: { message: 'blocked by policy', type: 'blocked' } } : {}),
  });
  return { name, cases };
}
