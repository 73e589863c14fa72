/**
 * GitLab security reports (`container_scanning` and `sast`, schema 15.x) from normalised findings.
 * GitLab wants unique vulnerability ids, title-case severities, `yyyy-mm-ddThh:mm:ss` times and a
 * `version` it knows: 15.0.7 is accepted by every GitLab that reads 15.x (17.x rejects some newer 15.2.x).
 */
import type {
  Finding,
  MisconfigurationFinding,
  SastFinding,
  Severity,
  VulnerabilityFinding,
} from '../security/finding.ts';

/** Schema version written into every report. */
export const GITLAB_REPORT_VERSION = '15.0.7';

/** Who ran the scan: the scanner, and the analyzer (Gantry) that drove it. */
export interface GitLabScanOptions {
  /** Scanner, e.g. `{ id: 'trivy', name: 'Trivy', version: '0.50.1', vendor: 'Aqua Security' }`. */
  readonly scanner: { id: string; name: string; version: string; vendor: string; url?: string };
  /** Gantry's version, written as the analyzer version. @default '0.1.0' */
  readonly analyzerVersion?: string;
  /** When the scan started. */
  readonly startTime: Date;
  /** When the scan ended. */
  readonly endTime: Date;
  /** Whether the scan itself succeeded. @default 'success' */
  readonly status?: 'success' | 'failure';
}

/** Extra inputs of a container scanning report. */
export interface GitLabContainerOptions extends GitLabScanOptions {
  /** The analysed image, e.g. `registry.example.com/app@sha256:…`. */
  readonly image: string;
  /** Its operating system, e.g. `alpine 3.19.1`. @default 'Unknown' */
  readonly operatingSystem?: string;
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, as GitLab's schema requires (no zone, no milliseconds). */
export function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Title-case severity: `CRITICAL` → `Critical`. */
export function gitlabSeverity(severity: Severity): string {
  return severity.charAt(0) + severity.slice(1).toLowerCase();
}

function scan(type: string, options: GitLabScanOptions) {
  const { scanner, analyzerVersion = '0.1.0', startTime, endTime, status = 'success' } = options;
  return {
    analyzer: { id: 'gantry', name: 'Gantry', vendor: { name: 'Gantry' }, version: analyzerVersion },
    scanner: {
      id: scanner.id,
      name: scanner.name,
      version: scanner.version || 'unknown',
      vendor: { name: scanner.vendor },
      ...(scanner.url ? { url: scanner.url } : {}),
    },
    type,
    start_time: gitlabTime(startTime),
    end_time: gitlabTime(endTime),
    status,
  };
}

const isUrl = (url: string) => /^(https?|ftp):\/\/.+/.test(url);

function identifier(ruleId: string, url: string | undefined, fallbackType: string) {
  const prefix = /^(CVE|GHSA|CWE|RUSTSEC|GO|PYSEC|OSV)-/i.exec(ruleId)?.[1];
  return {
    type: prefix ? prefix.toLowerCase() : fallbackType,
    name: ruleId,
    value: ruleId,
    ...(url && isUrl(url) ? { url } : {}),
  };
}

/** Keeps the first finding of each id, so report ids are unique even if the input repeats one. */
function unique<T extends Finding>(findings: readonly T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.id) && Boolean(seen.add(f.id)));
}

function common(f: Finding) {
  return {
    id: f.id,
    name: (f.title || f.ruleId).slice(0, 255),
    description: f.description.slice(0, 1_000_000),
    severity: gitlabSeverity(f.severity),
    links: f.references.filter(isUrl).map((url) => ({ url })),
  };
}

/** A GitLab `container_scanning` report of the vulnerability findings among `findings`. */
export function toGitLabContainerScanning(findings: readonly Finding[], options: GitLabContainerOptions) {
  const vulns = unique(findings.filter((f): f is VulnerabilityFinding => f.kind === 'vulnerability'));
  return {
    version: GITLAB_REPORT_VERSION,
    scan: scan('container_scanning', options),
    vulnerabilities: vulns.map((f) => ({
      ...common(f),
      solution: f.fixedVersion ? `Upgrade ${f.package} to ${f.fixedVersion}` : 'No solution provided',
      identifiers: [identifier(f.ruleId, f.references[0], f.scanner)],
      location: {
        dependency: { package: { name: f.package || 'unknown' }, version: f.installedVersion || 'unknown' },
        operating_system: options.operatingSystem || 'Unknown',
        image: options.image,
      },
    })),
  };
}

/** A GitLab `sast` report of the SAST and misconfiguration findings among `findings`. */
export function toGitLabSast(findings: readonly Finding[], options: GitLabScanOptions) {
  const code = unique(
    findings.filter(
      (f): f is SastFinding | MisconfigurationFinding => f.kind === 'sast' || f.kind === 'misconfiguration',
    ),
  );
  return {
    version: GITLAB_REPORT_VERSION,
    scan: scan('sast', options),
    vulnerabilities: code.map((f) => ({
      ...common(f),
      ...(f.kind === 'misconfiguration' && f.resolution ? { solution: f.resolution.slice(0, 7000) } : {}),
      identifiers: [identifier(f.ruleId, f.references[0], `${f.scanner}_id`)],
      location: {
        file: f.path,
        ...(f.line ? { start_line: f.line } : {}),
        ...(f.kind === 'sast' && f.endLine ? { end_line: f.endLine } : {}),
      },
    })),
  };
}
