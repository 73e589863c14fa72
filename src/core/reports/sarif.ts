/**
 * SARIF 2.1.0 writer for normalised findings, one run per scanner: what GitHub code scanning and Jenkins
 * warnings-ng read. Every result has a physical location (GitHub rejects results without one); image
 * vulnerabilities point at the scanned image or lockfile, line 1.
 */
import type { Finding, Severity } from '../security/finding.ts';

/** The tool a SARIF run describes. */
export interface SarifTool {
  /** Tool name, e.g. `Trivy`. */
  readonly name: string;
  /** Tool version, when known. */
  readonly version?: string;
  /** Tool home page. */
  readonly informationUri?: string;
}

/** SARIF result level. */
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** A SARIF 2.1.0 log (only the parts Gantry writes). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly Record<string, unknown>[];
}

/** Well-known scanners, so callers need not spell out their SARIF tool. */
export const SARIF_TOOLS: Readonly<Record<'trivy' | 'semgrep', SarifTool>> = {
  trivy: { name: 'Trivy', informationUri: 'https://github.com/aquasecurity/trivy' },
  semgrep: { name: 'Semgrep', informationUri: 'https://semgrep.dev' },
};

const levels: Record<Severity, SarifLevel> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** GitHub's `security-severity` scores: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low. */
const scores: Partial<Record<Severity, string>> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0' };

/** Artifact URI of a finding: its file, or the scanned target without Trivy's ` (os version)` suffix. */
export function artifactUri(finding: Finding): string {
  const raw = finding.kind === 'vulnerability' ? (finding.path ?? finding.target) : finding.path;
  const bare = raw.replace(/ \([^()]*\)$/, '') || 'unknown';
  return encodeURI(bare);
}

function message(finding: Finding): string {
  if (finding.kind === 'vulnerability') {
    return [
      `${finding.ruleId} (${finding.severity}) in ${finding.package} ${finding.installedVersion}`,
      `Fixed version: ${finding.fixedVersion || 'none'} (status ${finding.status})`,
      finding.title,
    ].join('\n');
  }
  return finding.description || finding.title;
}

function rule(finding: Finding): Record<string, unknown> {
  const helpUri = finding.references.find((r) => /^https?:\/\//.test(r));
  const score = scores[finding.severity];
  return {
    id: finding.ruleId,
    shortDescription: { text: finding.title || finding.ruleId },
    fullDescription: { text: finding.description || finding.title || finding.ruleId },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: levels[finding.severity] },
    properties: {
      tags: ['security', finding.kind],
      ...(score ? { 'security-severity': score } : {}),
    },
  };
}

/**
 * Builds a SARIF 2.1.0 log with one run for one scanner's findings.
 * @example
 * const sarif = toSarif(report.findings, { ...SARIF_TOOLS.trivy, version: report.scannerVersion });
 */
export function toSarif(findings: readonly Finding[], tool: SarifTool): SarifLog {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results = findings.map((finding) => {
    let index = ruleIndex.get(finding.ruleId);
    if (index === undefined) {
      index = rules.push(rule(finding)) - 1;
      ruleIndex.set(finding.ruleId, index);
    }
    const line = finding.kind === 'vulnerability' ? undefined : finding.line;
    return {
      ruleId: finding.ruleId,
      ruleIndex: index,
      level: levels[finding.severity],
      message: { text: message(finding) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(finding) },
            region: { startLine: line && line > 0 ? line : 1 },
          },
        },
      ],
      partialFingerprints: { 'gantryFindingId/v1': finding.id },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            ...(tool.version ? { version: tool.version } : {}),
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
}
