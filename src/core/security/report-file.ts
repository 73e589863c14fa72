/**
 * Reading scanner reports, failing closed: a missing, empty, truncated, wrongly shaped or wrong-tool report
 * is a PolicyError (exit 3) naming the file and the reason. It never passes.
 */
import { readFile } from 'node:fs/promises';
import { PolicyError } from '../errors.ts';
import { findDuplicateKey } from './json-keys.ts';
import type { ScanReport } from './scan-report.ts';
import { parseSemgrepReport } from './semgrep.ts';
import { parseTrivyReport } from './trivy.ts';

/** Scanners whose JSON output the gate reads. */
export type ScannerName = 'trivy' | 'semgrep';

const commands: Record<ScannerName, string> = {
  trivy: 'trivy <image|fs|config> --format json --output <file> (no --severity/--ignore-unfixed filter)',
  semgrep: 'semgrep scan --json --output <file>',
};

/** Top-level keys only a Trivy JSON report has (Trivy `pkg/types.Report`). */
const TRIVY_KEYS = ['SchemaVersion', 'ArtifactName', 'ArtifactType', 'Results'];
/** Top-level keys only Semgrep JSON output has (semgrep_output_v1.atd `cli_output`). */
const SEMGREP_KEYS = ['results', 'errors', 'paths', 'skipped_rules'];

/**
 * What a parsed JSON document looks like, to tell a wrong tool or format from a broken report. A document
 * with keys of both tools (`"SchemaVersion":2` beside Semgrep's `results`) is `mixed`: neither parser may
 * read it, or one tool's findings would pass unseen under the other's name.
 */
export function detectFormat(json: unknown): ScannerName | 'sarif' | 'trivy-legacy' | 'mixed' | 'unknown' {
  if (Array.isArray(json))
    return json.every((r) => isObject(r) && 'Target' in r) ? 'trivy-legacy' : 'unknown';
  if (!isObject(json)) return 'unknown';
  if ('runs' in json && ('$schema' in json || 'version' in json)) return 'sarif';
  const trivy = TRIVY_KEYS.some((k) => k in json);
  const semgrep = SEMGREP_KEYS.some((k) => k in json);
  if (trivy && semgrep) return 'mixed';
  if (trivy) return 'trivy';
  if (semgrep) return 'semgrep';
  return 'unknown';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the text of a report of the given scanner, failing closed.
 * @param source - the file name (or `<stdout>`), named in every error.
 * @throws PolicyError when the text is empty, not JSON, or not a report of that scanner.
 */
export function parseReportText(text: string, scanner: ScannerName, source: string): ScanReport {
  const fix = `Re-run the scan so that it writes a complete report: ${commands[scanner]}.`;
  if (text.trim() === '') {
    throw new PolicyError('REPORT_EMPTY', `${source} is empty, so the ${scanner} gate blocks`, { hint: fix });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new PolicyError(
      'REPORT_TRUNCATED',
      `${source} is not valid JSON (truncated or corrupted: ${why}), so the ${scanner} gate blocks`,
      { hint: fix, cause },
    );
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new PolicyError(
      'REPORT_DUPLICATE_KEY',
      `${source} is not a valid ${scanner} report, so the gate blocks: key "${duplicate.key}" appears twice in one object (line ${duplicate.line}); a JSON reader keeps only one of them`,
      { hint: fix },
    );
  }
  const format = detectFormat(json);
  if (format !== scanner && format !== 'unknown') {
    const what: Record<typeof format, string> = {
      trivy: 'a Trivy JSON report',
      semgrep: 'Semgrep JSON output',
      sarif: 'a SARIF file (SARIF has no fix status or fixed version, so the gate never reads it)',
      'trivy-legacy': 'a Trivy report of the old schema (before SchemaVersion 2, Trivy < 0.20)',
      mixed: `a document with keys of both a Trivy report (${TRIVY_KEYS.join(', ')}) and Semgrep output (${SEMGREP_KEYS.join(', ')})`,
    };
    throw new PolicyError(
      'REPORT_WRONG_TOOL',
      `${source} is ${what[format]}, not ${scanner} JSON, so the ${scanner} gate blocks`,
      { hint: fix },
    );
  }
  return scanner === 'trivy' ? parseTrivyReport(json, source) : parseSemgrepReport(json, source);
}

/**
 * Reads and parses one scanner report file, failing closed.
 * @throws PolicyError when the file is missing, unreadable, empty, truncated or not a report of `scanner`.
 */
export async function readScanReport(file: string, scanner: ScannerName): Promise<ScanReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(cause)})`;
    throw new PolicyError('REPORT_MISSING', `${scanner} report ${file} ${why}, so the gate blocks`, {
      hint: `Check the path, and that the ${scanner} scan ran and wrote it: ${commands[scanner]}.`,
      cause,
    });
  }
  return parseReportText(text, scanner, file);
}

/** How a scanner run ended, told apart from its exit code and standard output. */
export type ScannerOutcome =
  | { readonly outcome: 'completed'; readonly report: ScanReport }
  | { readonly outcome: 'crashed'; readonly reason: string }
  | { readonly outcome: 'unreadable'; readonly error: PolicyError };

/**
 * Tells a scanner crash from a scan that completed (with or without findings).
 * Trivy exits 0 with findings unless `--exit-code` is set; exit ≥ 1 without a valid report is a crash.
 * Semgrep exits 0, or 1 with `--error` when it found something; exit ≥ 2 is a failure of the scan itself.
 * A scanner that exited as after a successful scan (Trivy 0, Semgrep 0 or 1) but left no valid report
 * (empty, truncated, wrong shape) is `unreadable`: the gate fails closed and blocks (exit 3), as
 * `gantry gate` does on the same file. A failed scanner without a valid report is a crash (exit 1).
 */
export function classifyScannerExit(
  scanner: ScannerName,
  exitCode: number,
  stdout: string,
  source = '<stdout>',
): ScannerOutcome {
  if (scanner === 'semgrep' && exitCode >= 2) {
    return { outcome: 'crashed', reason: `semgrep exited ${exitCode}: the scan itself failed` };
  }
  try {
    return { outcome: 'completed', report: parseReportText(stdout, scanner, source) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // Semgrep exits ≥ 2 returned above: here it exited 0 or 1, as after a successful scan
    const succeeded = scanner === 'semgrep' || exitCode === 0;
    if (succeeded && error instanceof PolicyError) return { outcome: 'unreadable', error };
    return { outcome: 'crashed', reason: `${scanner} exited ${exitCode} without a valid report: ${why}` };
  }
}
