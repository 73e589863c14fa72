/**
 * Parser for Semgrep JSON output (`semgrep scan --json`).
 *
 * Severity mapping. Semgrep rules used ERROR/WARNING/INFO until 1.72, which added CRITICAL/HIGH/MEDIUM/LOW.
 * The new names keep their meaning; the old ones map as Semgrep's own docs pair them:
 * ERROR → HIGH, WARNING → MEDIUM, INFO → LOW. Anything else (INVENTORY, EXPERIMENT, unknown) → UNKNOWN.
 *
 * Fingerprints and matched lines are the string "requires login" when the scan ran logged out; such a
 * fingerprint is dropped (the stable id never depends on it).
 *
 * Scan errors. An entry of `errors[]` with level `error` (or no recognisable level) means the scan is
 * incomplete: it is kept as a blocking {@link ScanError}, failing closed. Level `warn`/`info` entries
 * (typically a file Semgrep could only partly parse) are reported but do not block.
 */
import { z } from 'zod';
import { type Finding, findingId, normaliseSeverity, type SastFinding, type Severity } from './finding.ts';
import { invalidReport } from './report-error.ts';
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
});

type SemgrepResult = z.infer<typeof resultSchema>;

const legacySeverity: Readonly<Record<string, Severity>> = { ERROR: 'HIGH', WARNING: 'MEDIUM', INFO: 'LOW' };

/** Normalises a Semgrep rule severity, old (ERROR/WARNING/INFO) or new (CRITICAL…LOW). */
export function semgrepSeverity(raw: string | null | undefined): Severity {
  const upper = (raw ?? '').toUpperCase();
  return legacySeverity[upper] ?? normaliseSeverity(upper);
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
    if (result.extra.is_ignored) suppressed.push(ignored(result));
    else all.push(sast(result));
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

function sast(result: SemgrepResult): SastFinding {
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
    severity: semgrepSeverity(extra.severity),
    originalSeverity: extra.severity ?? '',
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

function references(metadata: Record<string, unknown> | null | undefined): string[] {
  const refs = metadata?.references;
  const list = Array.isArray(refs) ? refs : typeof refs === 'string' ? [refs] : [];
  const source = metadata?.source;
  const all = typeof source === 'string' ? [source, ...list] : list;
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

function scanError(error: z.infer<typeof errorSchema>): ScanError {
  const level = (error.level ?? '').toLowerCase();
  const type = Array.isArray(error.type) ? String(error.type[0]) : String(error.type ?? 'error');
  return {
    level: level === 'warn' || level === 'warning' || level === 'info' ? 'warn' : 'error',
    type,
    message: error.message ?? '',
    ...(error.path ? { path: error.path } : {}),
  };
}
