/**
 * Parser for Semgrep JSON output (`semgrep scan --json`).
 *
 * Severities. Semgrep writes the rule's severity as one of `match_severity` in its output definition
 * (semgrep/semgrep `interfaces/semgrep_interfaces/semgrep_output_v1.atd`): ERROR, WARNING, INFO (every
 * version), CRITICAL, HIGH, MEDIUM, LOW (since 1.72.0, "Error -> High, Warning -> Medium"), and the deprecated
 * EXPERIMENT and INVENTORY. Old names map as that comment and Semgrep's docs (docs/kb/rules/understand-severities.md:
 * "ERROR (High), WARNING (Medium), or INFO (Low)") pair them; EXPERIMENT and INVENTORY become UNKNOWN. Any other
 * value (`BLOCKER`, `null`, `""`) makes the report invalid: it blocks, naming the value.
 *
 * Fingerprints and matched lines are the string "requires login" when the scan ran logged out; such a
 * fingerprint is dropped (the stable id never depends on it).
 *
 * Scan errors. Every entry of `errors[]` (timeouts, a file Semgrep could not parse, or only partly, a rule
 * that did not load) means part of the input was not scanned: each blocks unless the policy waives it by
 * path (`scanErrors`), whatever its level.
 *
 * Suppressions. `nosemgrep` comments drop matches from `--json` output (pysemgrep `BaseFormatter.keep_ignores`
 * is false for JSON); a result with `is_ignored: true` is kept as suppressed, and `paths.skipped` entries with
 * reason `semgrepignore_patterns_match` (written with `--verbose`) as skipped by `.semgrepignore`.
 */
import { z } from 'zod';
import { type Finding, findingId, type SastFinding, type Severity } from './finding.ts';
import { invalidReport, unknownSeverity } from './report-error.ts';
import { dedupe, type ScanError, type ScanReport, type SuppressedFinding } from './scan-report.ts';

const REQUIRES_LOGIN = 'requires login';

const position = z.looseObject({ line: z.number() });

const resultSchema = z.looseObject({
  check_id: z.string(),
  path: z.string(),
  start: position,
  end: position.nullish(),
  extra: z.looseObject({
    severity: z.string().nullish(),
    message: z.string().nullish(),
    fingerprint: z.string().nullish(),
    is_ignored: z.boolean().nullish(),
    metadata: z.looseObject({}).nullish(),
  }),
});

const errorSchema = z.looseObject({
  level: z.string().nullish(),
  type: z.unknown().optional(),
  message: z.string().nullish(),
  path: z.string().nullish(),
});

/** Zod schema of the parts of a Semgrep JSON report the gate reads. */
export const semgrepReportSchema = z.looseObject({
  version: z.string().nullish(),
  results: z.array(resultSchema),
  errors: z.array(errorSchema).nullish(),
  paths: z
    .looseObject({ skipped: z.array(z.looseObject({ path: z.string(), reason: z.unknown() })).nullish() })
    .nullish(),
});

type SemgrepResult = z.infer<typeof resultSchema>;

const severities: Readonly<Record<string, Severity>> = {
  ERROR: 'HIGH',
  WARNING: 'MEDIUM',
  INFO: 'LOW',
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
  EXPERIMENT: 'UNKNOWN',
  INVENTORY: 'UNKNOWN',
};

/** The severities Semgrep writes (see the file comment). */
export const SEMGREP_SEVERITIES: readonly string[] = Object.keys(severities);

/** Normalises a Semgrep severity; `undefined` for a value Semgrep does not write. */
export function semgrepSeverity(raw: unknown): Severity | undefined {
  return typeof raw === 'string' && Object.hasOwn(severities, raw) ? severities[raw] : undefined;
}

/**
 * Parses Semgrep JSON output (already `JSON.parse`d) into normalised SAST findings.
 * @param source - the file name, for error messages.
 * @throws PolicyError when the document is not Semgrep JSON output.
 */
export function parseSemgrepReport(json: unknown, source = '<input>'): ScanReport {
  const parsed = semgrepReportSchema.safeParse(json);
  if (!parsed.success) throw invalidReport(source, 'Semgrep JSON', parsed.error);
  const report = parsed.data;
  const all: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const result of report.results) {
    const severity = semgrepSeverity(result.extra.severity);
    if (severity === undefined) {
      const where = `${result.check_id} at ${result.path}:${result.start.line}`;
      throw unknownSeverity(source, 'Semgrep', result.extra.severity, where, SEMGREP_SEVERITIES);
    }
    if (result.extra.is_ignored) suppressed.push(ignored(result));
    else all.push(sast(result, severity));
  }
  for (const skipped of report.paths?.skipped ?? []) {
    if (skipped.reason === 'semgrepignore_patterns_match') suppressed.push(semgrepignored(skipped.path));
  }
  const { findings, duplicates } = dedupe(all);
  return {
    scanner: 'semgrep',
    ...(report.version ? { scannerVersion: report.version } : {}),
    source,
    findings,
    duplicates,
    suppressed,
    errors: (report.errors ?? []).map(scanError),
  };
}

function sast(result: SemgrepResult, severity: Severity): SastFinding {
  const { check_id: ruleId, path, extra } = result;
  const line = result.start.line;
  const fingerprint =
    extra.fingerprint && extra.fingerprint !== REQUIRES_LOGIN ? extra.fingerprint : undefined;
  return {
    kind: 'sast',
    id: findingId({ scanner: 'semgrep', kind: 'sast', ruleId, target: path, location: path, line }),
    scanner: 'semgrep',
    ruleId,
    aliases: [],
    severity,
    // validated by semgrepSeverity before: a string Semgrep writes
    originalSeverity: String(extra.severity),
    target: path,
    title: ruleId.split('.').at(-1) ?? ruleId,
    description: extra.message ?? '',
    references: references(extra.metadata),
    path,
    line,
    ...(result.end ? { endLine: result.end.line } : {}),
    ...(fingerprint ? { fingerprint } : {}),
  };
}

/** The rule's `source` URL, then its `references` (a list or one string); anything not a string is dropped. */
function references(metadata: Record<string, unknown> | null | undefined): string[] {
  const refs = metadata?.references;
  const all = [metadata?.source, ...(Array.isArray(refs) ? refs : [refs])];
  return all.filter((ref): ref is string => typeof ref === 'string');
}

function ignored(result: SemgrepResult): SuppressedFinding {
  return {
    kind: 'sast',
    ruleId: result.check_id,
    location: `${result.path}:${result.start.line}`,
    status: 'ignored',
    statement: 'nosemgrep comment',
    source: result.path,
  };
}

function semgrepignored(path: string): SuppressedFinding {
  return {
    kind: 'sast',
    ruleId: '*',
    location: path,
    status: 'skipped',
    statement: 'path matched .semgrepignore',
    source: '.semgrepignore',
  };
}

function scanError(error: z.infer<typeof errorSchema>): ScanError {
  const level = error.level?.toLowerCase();
  const type = Array.isArray(error.type) ? String(error.type[0]) : String(error.type ?? 'error');
  return {
    level: level === 'warn' || level === 'warning' || level === 'info' ? 'warn' : 'error',
    type,
    message: error.message ?? '',
    ...(error.path ? { path: error.path } : {}),
  };
}
