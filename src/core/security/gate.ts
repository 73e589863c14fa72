/**
 * The policy gate: evaluates normalised findings of one or more scanner reports against a policy, on the
 * scanners' unfiltered output, and says whether the run is blocked and why.
 */
import {
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  hasFix,
  SEVERITIES,
  type Severity,
  worstOf,
} from './finding.ts';
import { isoDay, type Policy, type ScanErrorWaiver, type Waiver } from './policy.ts';
import type { ScanError, ScanReport, SuppressedFinding } from './scan-report.ts';
import type { RepositorySuppression } from './suppressions.ts';
import { globToRegExp, WaiverIndex } from './waiver.ts';

/** A finding that blocks, with the sentence that says why. */
export interface BlockingFinding {
  readonly finding: Finding;
  readonly reason: string;
}

/** A scan error together with the report it came from. */
export interface ReportedScanError extends ScanError {
  /** The report file. */
  readonly source: string;
}

/** A waiver and the ids of the findings it matched. */
export interface WaiverUse {
  readonly waiver: Waiver;
  readonly findingIds: readonly string[];
}

/** The outcome of the gate. */
export interface GateVerdict {
  /** Whether the run must stop (exit 3). */
  readonly blocked: boolean;
  /** Findings that block, each with its reason. */
  readonly blocking: readonly BlockingFinding[];
  /** Scan errors (part of the input not scanned) that no valid `scanErrors` waiver covers: each blocks. */
  readonly blockingErrors: readonly ReportedScanError[];
  /** Scan errors a valid `scanErrors` waiver of the policy covers: reported, not blocking. */
  readonly waivedErrors: readonly { readonly error: ReportedScanError; readonly waiver: ScanErrorWaiver }[];
  /** Findings the policy would block but a valid waiver covers. */
  readonly waived: readonly { readonly finding: Finding; readonly waiver: Waiver }[];
  /** Waivers in force that matched findings; expired ones (never applied); valid ones that matched nothing. */
  readonly waivers: {
    readonly applied: readonly WaiverUse[];
    readonly expired: readonly WaiverUse[];
    readonly unused: readonly Waiver[];
  };
  /** Unique findings by kind and severity (suppressed ones excluded). */
  readonly counts: Record<FindingKind, Record<Severity, number>>;
  /** Unique findings over all reports. */
  readonly total: number;
  /** Entries dropped because another entry had the same stable id. */
  readonly duplicates: number;
  /** Findings the scanners suppressed: reported, not counted. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions found in the repository (ignore files, `nosemgrep` and `trivy:ignore:` comments). */
  readonly repositorySuppressions: readonly RepositorySuppression[];
  /** True when the policy refuses repository suppressions (`allowRepositorySuppressions: false`) and there are some. */
  readonly suppressionsRefused: boolean;
}

/** Options of {@link evaluateGate}. */
export interface GateOptions {
  /** The current time, for waiver expiry. @default new Date() */
  readonly now?: Date;
  /** Suppressions found in the scanned source ({@link findRepositorySuppressions}). @default [] */
  readonly repositorySuppressions?: readonly RepositorySuppression[];
}

const sectionOf = {
  vulnerability: 'vulnerabilities',
  secret: 'secrets',
  misconfiguration: 'misconfigurations',
  sast: 'sast',
} as const satisfies Record<FindingKind, keyof Policy>;

const nouns: Record<FindingKind, string> = {
  vulnerability: 'vulnerabilities',
  secret: 'secrets',
  misconfiguration: 'misconfigurations',
  sast: 'SAST findings',
};

/** Why the policy blocks this finding, or `undefined` when it does not. */
export function blockReason(finding: Finding, policy: Policy): string | undefined {
  const sev = finding.severity;
  if (!policy[sectionOf[finding.kind]].block.includes(sev)) return undefined;
  const rule = `policy blocks ${sev} ${nouns[finding.kind]}`;
  switch (finding.kind) {
    case 'vulnerability':
      if (hasFix(finding))
        return `${sev} vulnerability with a fix available (${finding.fixedVersion}) blocks: ${rule}`;
      if (policy.vulnerabilities.ignoreUnfixed) return undefined;
      return `${sev} vulnerability without a fix (status ${finding.status}) blocks: ${rule}, unfixed included`;
    case 'secret':
      return `${sev} secret (${finding.ruleId}) blocks: ${rule}`;
    case 'misconfiguration':
      return `${sev} misconfiguration blocks: ${rule}`;
    case 'sast':
      return `${sev} SAST finding blocks: ${rule}`;
  }
}

function emptyCounts(): Record<FindingKind, Record<Severity, number>> {
  const counts = {} as Record<FindingKind, Record<Severity, number>>;
  for (const kind of FINDING_KINDS) {
    counts[kind] = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  }
  return counts;
}

/**
 * Evaluates reports against a policy on the worst case: entries with the same stable id, in one report or
 * across reports, count once as the most severe and fixable of them ({@link worstOf}).
 * @example
 * const verdict = evaluateGate([parseTrivyReport(json, 'trivy.json')], policy);
 * if (verdict.blocked) return ExitCode.blocked;
 */
export function evaluateGate(
  reports: readonly ScanReport[],
  policy: Policy,
  options: GateOptions = {},
): GateVerdict {
  const today = isoDay(options.now ?? new Date());
  const index = new WaiverIndex(policy.waivers);
  const matched = new Map<Waiver, string[]>();
  const counts = emptyCounts();
  const blocking: BlockingFinding[] = [];
  const waived: { finding: Finding; waiver: Waiver }[] = [];
  const unique = new Map<string, Finding>();
  let duplicates = 0;
  for (const report of reports) {
    duplicates += report.duplicates;
    for (const finding of report.findings) {
      const earlier = unique.get(finding.id);
      if (earlier !== undefined) duplicates++;
      unique.set(finding.id, earlier === undefined ? finding : worstOf(earlier, finding));
    }
  }
  for (const finding of unique.values()) {
    counts[finding.kind][finding.severity]++;
    const waivers = index.matching(finding);
    for (const waiver of waivers) matched.get(waiver)?.push(finding.id) ?? matched.set(waiver, [finding.id]);
    const reason = blockReason(finding, policy);
    if (reason === undefined) continue;
    const valid = waivers.find((w) => w.expires >= today);
    if (valid) {
      waived.push({ finding, waiver: valid });
      continue;
    }
    const expired = waivers[0];
    blocking.push({ finding, reason: expired ? `${reason} (waiver expired ${expired.expires})` : reason });
  }
  const errors = reports.flatMap((r) => r.errors.map((e) => ({ ...e, source: r.source })));
  const errorWaivers = policy.scanErrors
    .filter((w) => w.expires >= today)
    .map((w) => ({ waiver: w, path: globToRegExp(w.path) }));
  const blockingErrors: ReportedScanError[] = [];
  const waivedErrors: { error: ReportedScanError; waiver: ScanErrorWaiver }[] = [];
  for (const error of errors) {
    const hit = errorWaivers.find(
      ({ waiver, path }) =>
        error.path !== undefined &&
        path.test(error.path) &&
        (waiver.type === undefined || waiver.type === error.type),
    );
    if (hit) waivedErrors.push({ error, waiver: hit.waiver });
    else blockingErrors.push(error);
  }
  const suppressed = reports.flatMap((r) => r.suppressed);
  const repositorySuppressions = options.repositorySuppressions ?? [];
  const suppressionsRefused =
    !policy.allowRepositorySuppressions && suppressed.length + repositorySuppressions.length > 0;
  const use = (waiver: Waiver): WaiverUse => ({ waiver, findingIds: matched.get(waiver) ?? [] });
  return {
    blocked: blocking.length > 0 || blockingErrors.length > 0 || suppressionsRefused,
    blocking,
    blockingErrors,
    waivedErrors,
    waived,
    waivers: {
      applied: policy.waivers.filter((w) => w.expires >= today && matched.has(w)).map(use),
      expired: policy.waivers.filter((w) => w.expires < today).map(use),
      unused: policy.waivers.filter((w) => w.expires >= today && !matched.has(w)),
    },
    counts,
    total: unique.size,
    duplicates,
    suppressed,
    repositorySuppressions,
    suppressionsRefused,
  };
}
