/**
 * What a parser makes of one scanner output file: the findings, what the scanner suppressed, and the
 * errors that make the scan incomplete.
 */
import { type Finding, type FindingKind, worstOf } from './finding.ts';

/** A finding the scanner itself suppressed (Trivy `ExperimentalModifiedFindings`: VEX, .trivyignore). */
export interface SuppressedFinding {
  /** What kind of finding it would have been. */
  readonly kind: FindingKind | 'license';
  /** Rule or vulnerability id. */
  readonly ruleId: string;
  /** Where: the target, plus package or path. */
  readonly location: string;
  /** Why: the status the scanner gave, e.g. `not_affected`, `ignored`. */
  readonly status: string;
  /** The justification the scanner gave, e.g. a VEX statement. */
  readonly statement: string;
  /** Where the suppression came from, e.g. `./vex.json` or `.trivyignore`. */
  readonly source: string;
}

/** An error the scanner reported about its own run. */
export interface ScanError {
  /** `error` means the scan is incomplete and blocks; `warn` is only reported. */
  readonly level: 'error' | 'warn';
  /** The scanner's error type, e.g. `Syntax error`, `Rule parse error`. */
  readonly type: string;
  /** The scanner's message. */
  readonly message: string;
  /** The file it is about, when known. */
  readonly path?: string;
}

/** One parsed scanner report. */
export interface ScanReport {
  /** The tool, e.g. `trivy`. */
  readonly scanner: 'trivy' | 'semgrep';
  /** The tool's version, when the report says. */
  readonly scannerVersion?: string;
  /** The report file (or `<input>`), for messages. */
  readonly source: string;
  /** What was scanned (Trivy `ArtifactName`), when the report says. */
  readonly artifactName?: string;
  /** Operating system of a scanned image, e.g. `alpine 3.9.4`, when known. */
  readonly operatingSystem?: string;
  /** Unique findings, in report order. */
  readonly findings: readonly Finding[];
  /** How many entries were dropped as duplicates of an earlier one (same stable id). */
  readonly duplicates: number;
  /** Findings the scanner suppressed: reported, never counted or gated. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Errors the scanner reported. */
  readonly errors: readonly ScanError[];
}

/**
 * Merges entries with the same stable id into one, keeping the worst case of them ({@link worstOf}): the most
 * severe, and the fixable one. Returns the unique findings (in order of first appearance) and how many
 * entries were merged away.
 */
export function dedupe(findings: Iterable<Finding>): { findings: Finding[]; duplicates: number } {
  const byId = new Map<string, Finding>();
  let duplicates = 0;
  for (const finding of findings) {
    const earlier = byId.get(finding.id);
    if (earlier === undefined) byId.set(finding.id, finding);
    else {
      duplicates++;
      byId.set(finding.id, worstOf(earlier, finding));
    }
  }
  return { findings: [...byId.values()], duplicates };
}
