import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, PolicyError } from '../../../src/core/errors.ts';
import { classifyScannerExit, detectFormat, readScanReport } from '../../../src/core/security/report-file.ts';
import { fixtureFiles, readJson, semgrepResult, trivyReport, vuln } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<PolicyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyError);
  return error as PolicyError;
}

describe('readScanReport fails closed', () => {
  it('reads a valid Trivy report', async () => {
    const file = await write(
      'ok.json',
      JSON.stringify(trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }])),
    );
    const report = await readScanReport(file, 'trivy');
    expect(report.findings).toHaveLength(1);
    expect(report.source).toBe(file);
  });

  it('blocks on a missing file, naming it', async () => {
    const file = join(dir, 'nope.json');
    const error = await rejection(readScanReport(file, 'trivy'));
    expect(error.exitCode).toBe(ExitCode.blocked);
    expect(error.code).toBe('REPORT_MISSING');
    expect(error.message).toContain(`${file} does not exist`);
  });

  it.each(['', '   \n'])('blocks on an empty file (%j)', async (text) => {
    const error = await rejection(readScanReport(await write('empty.json', text), 'semgrep'));
    expect(error.code).toBe('REPORT_EMPTY');
    expect(error.message).toMatch(/empty\.json is empty/);
  });

  it('blocks on a truncated report', async () => {
    const full = JSON.stringify(trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }]));
    const file = await write('cut.json', full.slice(0, full.length / 2));
    const error = await rejection(readScanReport(file, 'trivy'));
    expect(error.code).toBe('REPORT_TRUNCATED');
    expect(error.message).toMatch(/cut\.json is not valid JSON \(truncated/);
    expect(error.hint).toContain('--format json');
  });

  it('blocks on a report of the wrong tool', async () => {
    const file = await write('semgrep.json', JSON.stringify({ results: [semgrepResult()], errors: [] }));
    const error = await rejection(readScanReport(file, 'trivy'));
    expect(error.code).toBe('REPORT_WRONG_TOOL');
    expect(error.message).toContain('is Semgrep JSON output, not trivy JSON');
  });

  it.each(fixtureFiles('trivy', '.sarif'))('blocks on Trivy SARIF (no fix status): %s', async (file) => {
    const error = await rejection(readScanReport(file, 'trivy'));
    expect(error.message).toContain('is a SARIF file');
  });

  it.each(fixtureFiles('semgrep', '.sarif'))('blocks on Semgrep SARIF: %s', async (file) => {
    expect((await rejection(readScanReport(file, 'semgrep'))).code).toBe('REPORT_WRONG_TOOL');
  });

  it('blocks on a report of the old Trivy schema', async () => {
    const file = await write('v1.json', JSON.stringify([{ Target: 'a', Vulnerabilities: null }]));
    expect((await rejection(readScanReport(file, 'trivy'))).message).toContain('old schema');
  });

  it('blocks on a wrongly shaped report with the field path', async () => {
    const file = await write('shape.json', JSON.stringify(trivyReport([{ Target: 3 }])));
    const error = await rejection(readScanReport(file, 'trivy'));
    expect(error.code).toBe('REPORT_INVALID');
    expect(error.message).toContain('Results[0].Target');
  });
});

describe('detectFormat', () => {
  it.each(fixtureFiles('trivy', '.json'))('trivy JSON %s', (f) =>
    expect(detectFormat(readJson(f))).toBe('trivy'),
  );
  it.each([...fixtureFiles('trivy', '.sarif'), ...fixtureFiles('semgrep', '.sarif')])('SARIF %s', (f) =>
    expect(detectFormat(readJson(f))).toBe('sarif'),
  );
  it.each(fixtureFiles('semgrep', '.json'))('semgrep JSON %s', (f) =>
    expect(detectFormat(readJson(f))).toBe('semgrep'),
  );
});

describe('classifyScannerExit', () => {
  const trivyJson = JSON.stringify(trivyReport([{ Target: 'a', Vulnerabilities: [vuln()] }]));
  const semgrepJson = JSON.stringify({ results: [semgrepResult()], errors: [] });

  it('Trivy exit 0 with a report completed', () => {
    const result = classifyScannerExit('trivy', 0, trivyJson);
    expect(result.outcome).toBe('completed');
  });
  it('Trivy exit 1 with a valid report (--exit-code) completed', () => {
    expect(classifyScannerExit('trivy', 1, trivyJson).outcome).toBe('completed');
  });
  it.each([
    [1, ''],
    [1, '2024-01-01T00:00:00Z FATAL init error'],
  ])('Trivy exit %i with %j is a crash', (code, stdout) => {
    const result = classifyScannerExit('trivy', code, stdout);
    expect(result).toMatchObject({ outcome: 'crashed' });
    if (result.outcome === 'crashed') expect(result.reason).toContain(`trivy exited ${code}`);
  });
  it('Semgrep exit 1 (--error, findings) completed', () => {
    const result = classifyScannerExit('semgrep', 1, semgrepJson);
    expect(result.outcome === 'completed' && result.report.findings.length).toBe(1);
  });
  it.each([2, 7, 123])('Semgrep exit %i is a crash even with JSON', (code) => {
    expect(classifyScannerExit('semgrep', code, semgrepJson).outcome).toBe('crashed');
  });
  // A scanner that exited as after a successful scan but left an unreadable report: the gate fails closed
  // (exit 3, the PolicyError gantry gate gives for the same file), never a pass and never a mere tool error.
  it.each([
    ['trivy', 0, '', 'REPORT_EMPTY'],
    ['trivy', 0, trivyJson.slice(0, 20), 'REPORT_TRUNCATED'],
    ['semgrep', 0, semgrepJson.slice(0, 20), 'REPORT_TRUNCATED'],
    ['semgrep', 1, trivyJson, 'REPORT_WRONG_TOOL'],
    ['trivy', 0, semgrepJson, 'REPORT_WRONG_TOOL'],
  ] as const)('%s exit %i with an unreadable report (%#) blocks: %s', (scanner, code, stdout, errorCode) => {
    const result = classifyScannerExit(scanner, code, stdout, 'out/reports/x.json');
    expect(result.outcome).toBe('unreadable');
    if (result.outcome !== 'unreadable') return;
    expect(result.error).toMatchObject({ exitCode: 3, code: errorCode });
    expect(result.error.message).toContain('out/reports/x.json');
  });
});
