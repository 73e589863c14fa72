/**
 * The exact refusals of report reading (src/core/security/report-file.ts), which the mutation run
 * (reports/mutation/) found guarded only by their error code: each names the file, the reason and the
 * command that writes a complete report, and the format detection tells every other document apart.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyScannerExit,
  detectFormat,
  parseReportText,
  readScanReport,
} from '../../../src/core/security/report-file.ts';
import { refusal } from '../support/refusal.ts';

const TRIVY_FIX =
  'Re-run the scan so that it writes a complete report: trivy <image|fs|config> --format json --output <file> (no --severity/--ignore-unfixed filter).';
const SEMGREP_FIX =
  'Re-run the scan so that it writes a complete report: semgrep scan --json --output <file>.';

describe('detectFormat', () => {
  it.each<[string, unknown, ReturnType<typeof detectFormat>]>([
    ['a Trivy report by SchemaVersion', { SchemaVersion: 2 }, 'trivy'],
    ['a Trivy report by ArtifactName', { ArtifactName: 'x' }, 'trivy'],
    ['a Trivy report by ArtifactType', { ArtifactType: 'container_image' }, 'trivy'],
    ['a Trivy report by Results', { Results: [] }, 'trivy'],
    ['Semgrep output by results', { results: [] }, 'semgrep'],
    ['Semgrep output by errors', { errors: [] }, 'semgrep'],
    ['Semgrep output by paths', { paths: {} }, 'semgrep'],
    ['Semgrep output by skipped_rules', { skipped_rules: [] }, 'semgrep'],
    ['both tools at once', { SchemaVersion: 2, results: [] }, 'mixed'],
    ['SARIF with $schema', { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [] }, 'sarif'],
    ['SARIF with version', { version: '2.1.0', runs: [] }, 'sarif'],
    ['runs alone', { runs: [] }, 'unknown'],
    [
      'an old Trivy report (a list of results)',
      [{ Target: 'a' }, { Target: 'b', Vulnerabilities: null }],
      'trivy-legacy',
    ],
    ['a list of something else', [{ Target: 'a' }, { target: 'b' }], 'unknown'],
    ['a list of non-objects', [1, null], 'unknown'],
    ['a list holding a list', [[{ Target: 'a' }]], 'unknown'],
    ['null', null, 'unknown'],
    ['a string', 'SchemaVersion', 'unknown'],
    ['an object of neither', { version: '1' }, 'unknown'],
  ])('%s', (_name, json, format) => {
    expect(detectFormat(json)).toBe(format);
  });
});

describe('parseReportText refusals', () => {
  it('an empty report', () => {
    const error = refusal(() => parseReportText(' \n\t', 'trivy', 'out/trivy.json'));
    expect(error).toMatchObject({
      code: 'REPORT_EMPTY',
      exitCode: 3,
      message: 'out/trivy.json is empty, so the trivy gate blocks',
      hint: TRIVY_FIX,
    });
  });

  it('a truncated report names the parser error', () => {
    const error = refusal(() => parseReportText('{"results": [', 'semgrep', 's.json'));
    expect(error.code).toBe('REPORT_TRUNCATED');
    expect(error.message).toMatch(
      /^s\.json is not valid JSON \(truncated or corrupted: .*JSON.*\), so the semgrep gate blocks$/,
    );
    expect(error.hint).toBe(SEMGREP_FIX);
  });

  it('a duplicate key names the key and its line', () => {
    const error = refusal(() => parseReportText('{"results": [],\n"results": []}', 'semgrep', 's.json'));
    expect(error).toMatchObject({
      code: 'REPORT_DUPLICATE_KEY',
      message:
        's.json is not a valid semgrep report, so the gate blocks: key "results" appears twice in one object (line 2); a JSON reader keeps only one of them',
      hint: SEMGREP_FIX,
    });
  });

  it.each<[string, unknown, string, string]>([
    ['semgrep output given to the trivy gate', { results: [] }, 'trivy', 'Semgrep JSON output'],
    ['a trivy report given to the semgrep gate', { SchemaVersion: 2 }, 'semgrep', 'a Trivy JSON report'],
    [
      'SARIF',
      { version: '2.1.0', runs: [] },
      'trivy',
      'a SARIF file (SARIF has no fix status or fixed version, so the gate never reads it)',
    ],
    [
      'an old Trivy report',
      [{ Target: 'a' }],
      'trivy',
      'a Trivy report of the old schema (before SchemaVersion 2, Trivy < 0.20)',
    ],
    [
      'a document of both tools',
      { SchemaVersion: 2, results: [] },
      'semgrep',
      'a document with keys of both a Trivy report (SchemaVersion, ArtifactName, ArtifactType, Results) and Semgrep output (results, errors, paths, skipped_rules)',
    ],
  ])('%s is the wrong tool, and says what it is', (_name, json, scanner, what) => {
    const error = refusal(() => parseReportText(JSON.stringify(json), scanner as 'trivy', 'r.json'));
    expect(error).toMatchObject({
      code: 'REPORT_WRONG_TOOL',
      message: `r.json is ${what}, not ${scanner} JSON, so the ${scanner} gate blocks`,
      hint: scanner === 'trivy' ? TRIVY_FIX : SEMGREP_FIX,
    });
  });

  it('a document of an unknown shape goes to the parser, which names what is missing', () => {
    expect(refusal(() => parseReportText('{}', 'trivy', 'r.json')).code).toBe('REPORT_INVALID');
    expect(refusal(() => parseReportText('{}', 'semgrep', 'r.json')).code).toBe('REPORT_INVALID');
  });

  it('each scanner is read by its own parser', () => {
    expect(parseReportText('{"SchemaVersion":2}', 'trivy', 'r.json').scanner).toBe('trivy');
    expect(parseReportText('{"results":[]}', 'semgrep', 'r.json').scanner).toBe('semgrep');
  });
});

describe('readScanReport', () => {
  it('a missing file: does not exist, and how to write it', async () => {
    const file = join(tmpdir(), 'gantry-no-such-report.json');
    await expect(readScanReport(file, 'semgrep')).rejects.toMatchObject({
      code: 'REPORT_MISSING',
      exitCode: 3,
      message: `semgrep report ${file} does not exist, so the gate blocks`,
      hint: 'Check the path, and that the semgrep scan ran and wrote it: semgrep scan --json --output <file>.',
    });
  });

  it('a path that cannot be read names the error code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-report-'));
    await mkdir(join(dir, 'trivy.json'));
    await expect(readScanReport(join(dir, 'trivy.json'), 'trivy')).rejects.toMatchObject({
      code: 'REPORT_MISSING',
      message: `trivy report ${join(dir, 'trivy.json')} cannot be read (EISDIR), so the gate blocks`,
    });
  });

  it('names the file in what the parser says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-report-'));
    const file = join(dir, 'semgrep.json');
    await writeFile(file, '{"results":[]}');
    expect((await readScanReport(file, 'semgrep')).source).toBe(file);
  });
});

describe('classifyScannerExit details', () => {
  it('names the exit code of a failed Semgrep scan', () => {
    expect(classifyScannerExit('semgrep', 2, '{"results":[]}')).toEqual({
      outcome: 'crashed',
      reason: 'semgrep exited 2: the scan itself failed',
    });
  });

  it('a crash without a report says why the output was not one, naming stdout by default', () => {
    expect(classifyScannerExit('trivy', 2, '')).toEqual({
      outcome: 'crashed',
      reason: 'trivy exited 2 without a valid report: <stdout> is empty, so the trivy gate blocks',
    });
  });

  it('an exit as after success without a valid report is unreadable, for each scanner', () => {
    const trivy = classifyScannerExit('trivy', 0, '{');
    expect(trivy.outcome).toBe('unreadable');
    const semgrep = classifyScannerExit('semgrep', 1, '', 'out/semgrep.json');
    expect(semgrep).toMatchObject({ outcome: 'unreadable', error: { code: 'REPORT_EMPTY' } });
    expect(classifyScannerExit('semgrep', 0, '').outcome).toBe('unreadable');
    expect(classifyScannerExit('trivy', 1, '').outcome).toBe('crashed');
  });
});
