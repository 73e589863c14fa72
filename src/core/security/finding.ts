/**
 * The one normalised security finding model. Every scanner parser turns its own output into these, so the
 * policy gate and the report writers see one shape whatever tool found the problem.
 */
import * as crypto from 'node:crypto';

/** Normalised severities, most severe first. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
/** One normalised severity. */
export type Severity = (typeof SEVERITIES)[number];

/** The kinds of finding, the discriminant of {@link Finding}. */
export const FINDING_KINDS = ['vulnerability', 'secret', 'misconfiguration', 'sast'] as const;
/** One kind of finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Fix status of a vulnerability, as Trivy reports it (v0.44+) or as derived for older versions. */
export const FIX_STATUSES = [
  'fixed',
  'affected',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
  'unknown',
] as const;
/** One fix status. */
export type FixStatus = (typeof FIX_STATUSES)[number];

/** Fields every finding has. */
interface FindingBase {
  /** Stable id: a hash of scanner, kind, rule, target, package or path, and line. Equal findings share it. */
  readonly id: string;
  /** The tool that reported it, e.g. `trivy` or `semgrep`. */
  readonly scanner: string;
  /** The scanner's rule or vulnerability id: `CVE-2019-14697`, `AVD-DS-0002`, `aws-access-key-id`, a Semgrep check id. */
  readonly ruleId: string;
  /** Other ids of the same rule (e.g. a misconfiguration's `ID` beside its `AVDID`), for waiver matching. */
  readonly aliases: readonly string[];
  /** Normalised severity. */
  readonly severity: Severity;
  /** The severity exactly as the scanner wrote it. */
  readonly originalSeverity: string;
  /** What was scanned: an image, a lockfile, a config or source file. */
  readonly target: string;
  /** One-line title. */
  readonly title: string;
  /** Longer description or the scanner's message. */
  readonly description: string;
  /** Reference URLs. */
  readonly references: readonly string[];
}

/** A known vulnerability in a package (Trivy `Vulnerabilities`). */
export interface VulnerabilityFinding extends FindingBase {
  readonly kind: 'vulnerability';
  /** Package name. */
  readonly package: string;
  /** Installed version of the package. */
  readonly installedVersion: string;
  /** Version(s) with a fix, as written by the scanner (may list several); empty when none. */
  readonly fixedVersion: string;
  /** Normalised fix status. */
  readonly status: FixStatus;
  /** The status exactly as the scanner wrote it; empty when the scanner wrote none (Trivy before v0.44). */
  readonly originalStatus: string;
  /** Path of the package inside the target, when the scanner gives one (language packages). */
  readonly path?: string;
}

/** A secret found in a file. */
export interface SecretFinding extends FindingBase {
  readonly kind: 'secret';
  /** File containing the secret. */
  readonly path: string;
  /** First line of the match. */
  readonly line?: number;
  /** Rule category, e.g. `AWS`. */
  readonly category?: string;
}

/** A failed configuration check (Dockerfile, Kubernetes, Terraform…). */
export interface MisconfigurationFinding extends FindingBase {
  readonly kind: 'misconfiguration';
  /** File containing the misconfiguration. */
  readonly path: string;
  /** First line of the cause, when known. */
  readonly line?: number;
  /** How to fix it. */
  readonly resolution?: string;
}

/** A static-analysis (SAST) match in source code. */
export interface SastFinding extends FindingBase {
  readonly kind: 'sast';
  /** Source file. */
  readonly path: string;
  /** First line of the match. */
  readonly line: number;
  /** Last line of the match. */
  readonly endLine?: number;
  /** The scanner's fingerprint; absent when the scanner withheld it ("requires login"). */
  readonly fingerprint?: string;
}

/** One normalised finding, discriminated on `kind`. */
export type Finding = VulnerabilityFinding | SecretFinding | MisconfigurationFinding | SastFinding;

/**
 * Trivy's severities, exactly as it writes them: trivy-db `pkg/types` `SeverityNames` (UNKNOWN, LOW, MEDIUM,
 * HIGH, CRITICAL), the same in every release that writes SchemaVersion 2.
 */
export const TRIVY_SEVERITIES: readonly Severity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * A Trivy severity, or `undefined` when the value is not one Trivy writes (`"CRIT"`, `"SEVERE"`, `null`, `""`):
 * the caller must then refuse the report, never count the finding as UNKNOWN.
 */
export function trivySeverity(raw: unknown): Severity | undefined {
  return typeof raw === 'string' && (TRIVY_SEVERITIES as readonly string[]).includes(raw)
    ? (raw as Severity)
    : undefined;
}

/** Rank of a severity: 0 for CRITICAL … 4 for UNKNOWN. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The worst case of two entries with the same stable id: the higher severity and, for vulnerabilities, a fix
 * when either has one (a fix makes a vulnerability block under `ignoreUnfixed`). Order never matters:
 * LOW-then-CRITICAL and CRITICAL-then-LOW give the same result.
 */
export function worstOf(a: Finding, b: Finding): Finding {
  const severe = severityRank(b.severity) < severityRank(a.severity) ? b : a;
  if (severe.kind !== 'vulnerability' || hasFix(severe)) return severe;
  const other = severe === a ? b : a;
  if (other.kind !== 'vulnerability' || !hasFix(other)) return severe;
  return {
    ...severe,
    status: other.status,
    originalStatus: other.originalStatus,
    fixedVersion: other.fixedVersion,
  };
}

/**
 * Whether a fix is available: status `fixed`, or no usable status (`unknown`) but a fixed version given.
 */
export function hasFix(finding: VulnerabilityFinding): boolean {
  return finding.status === 'fixed' || (finding.status === 'unknown' && finding.fixedVersion !== '');
}

/** Where a finding is: the package (vulnerabilities) or the file, for tables and waivers. */
export function findingLocation(finding: Finding): string {
  if (finding.kind === 'vulnerability') return `${finding.package}@${finding.installedVersion}`;
  return finding.line === undefined ? finding.path : `${finding.path}:${finding.line}`;
}

/** The parts that identify a finding, hashed into its stable id. */
export interface FindingKey {
  scanner: string;
  kind: FindingKind;
  ruleId: string;
  target: string;
  /** Package name and version (vulnerabilities) or file path. */
  location: string;
  line?: number | undefined;
}

/** SHA-256 in hex: the one-shot `crypto.hash` (Node ≥ 20.12, about 3× faster on 100,000 ids) where there is one. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Stable id of a finding: the first 16 hex digits of a SHA-256 over its key. */
export function findingId(key: FindingKey): string {
  const text = [key.scanner, key.kind, key.ruleId, key.target, key.location, key.line ?? ''].join('\u0000');
  return sha256Hex(text).slice(0, 16);
}
