/** Findings by severity as one small Markdown table, a column per scan, summed over finding kinds. */
import { SEVERITIES } from '../security/finding.ts';

/** One scan's finding counts: kind → severity → number, as the run manifest records them. */
export interface ScanCounts {
  /** Column heading, e.g. "Source scan". */
  title: string;
  counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The table's Markdown lines; none when there is no scan. Severities beyond the standard ones get rows too. */
export function severityTable(scans: readonly ScanCounts[]): string[] {
  if (scans.length === 0) return [];
  const seen = scans.flatMap((s) => Object.values(s.counts).flatMap((bySeverity) => Object.keys(bySeverity)));
  const severities = [...new Set<string>([...SEVERITIES, ...seen])];
  const total = (scan: ScanCounts, severity: string) =>
    Object.values(scan.counts).reduce((sum, bySeverity) => sum + (bySeverity[severity] ?? 0), 0);
  return [
    `| severity | ${scans.map((s) => s.title).join(' | ')} |`,
    `|---|${scans.map(() => '---:').join('|')}|`,
    ...severities.map((sev) => `| ${sev.toLowerCase()} | ${scans.map((s) => total(s, sev)).join(' | ')} |`),
  ];
}
