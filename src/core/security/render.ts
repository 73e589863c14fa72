/**
 * Plain-text rendering of a gate verdict for terminals and CI logs.
 */
import { FINDING_KINDS, type Finding, findingLocation, SEVERITIES } from './finding.ts';
import type { GateVerdict, WaiverUse } from './gate.ts';
import { describeSuppression } from './suppressions.ts';

/** Lays out rows as left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function fixedVersion(finding: Finding): string {
  return finding.kind === 'vulnerability' ? finding.fixedVersion || '-' : '-';
}

function waiverLine(use: WaiverUse): string {
  const scope = [
    use.waiver.package && `package ${use.waiver.package}`,
    use.waiver.path && `path ${use.waiver.path}`,
  ]
    .filter(Boolean)
    .join(', ');
  const matched = `${use.findingIds.length} finding${use.findingIds.length === 1 ? '' : 's'}`;
  return `  ${use.waiver.id}${scope ? ` (${scope})` : ''}, expires ${use.waiver.expires}, ${matched}: ${use.waiver.reason}`;
}

/** One-line verdict, e.g. `gate: BLOCKED — 2 blocking findings, 1 scan error (12 findings, 3 waived)`. */
export function verdictLine(verdict: GateVerdict): string {
  const parts: string[] = [];
  if (verdict.blocking.length > 0) parts.push(`${verdict.blocking.length} blocking finding(s)`);
  if (verdict.blockingErrors.length > 0) parts.push(`${verdict.blockingErrors.length} scan error(s)`);
  if (verdict.suppressionsRefused) parts.push('repository suppressions refused by the policy');
  const inRepo = verdict.repositorySuppressions.length;
  const totals =
    `${verdict.total} finding(s), ${verdict.waived.length} waived, ${verdict.suppressed.length} suppressed by the scanner` +
    (inRepo > 0 ? `, ${inRepo} suppression(s) in the repository` : '');
  return verdict.blocked ? `gate: BLOCKED — ${parts.join(', ')} (${totals})` : `gate: PASSED (${totals})`;
}

/** The full text report: blocking findings, scan errors, counts, waivers and the verdict line. */
export function renderVerdict(verdict: GateVerdict): string {
  const out: string[] = [];
  if (verdict.blocking.length > 0) {
    out.push('Blocking findings:');
    const rows = verdict.blocking.map(({ finding, reason }) => [
      finding.ruleId,
      finding.severity,
      findingLocation(finding),
      fixedVersion(finding),
      finding.id,
      reason,
    ]);
    out.push(table(['ID', 'SEVERITY', 'PACKAGE/FILE', 'FIXED', 'FINDING', 'WHY'], rows), '');
  }
  const where = (e: { path?: string }) => (e.path ? ` (${e.path})` : '');
  for (const e of verdict.blockingErrors) {
    out.push(
      `scan error (blocks: part of the input was not scanned; waive by path with scanErrors in the policy): ${e.source}: ${e.type}${where(e)}: ${e.message}`,
    );
  }
  for (const { error: e, waiver } of verdict.waivedErrors) {
    out.push(
      `scan error waived until ${waiver.expires} (${waiver.reason}): ${e.source}: ${e.type}${where(e)}: ${e.message}`,
    );
  }
  const suppressions = [
    ...verdict.suppressed.map((s) => `${s.source || s.status}: ${s.ruleId} at ${s.location}`),
    ...verdict.repositorySuppressions.map(describeSuppression),
  ];
  if (suppressions.length > 0) {
    const refused = verdict.suppressionsRefused ? ' (refused: allowRepositorySuppressions is false)' : '';
    out.push(`Suppressions${refused}:`, ...suppressions.map((line) => `  ${line}`));
  }
  const counted = FINDING_KINDS.filter((k) => SEVERITIES.some((s) => verdict.counts[k][s] > 0));
  if (counted.length > 0) {
    const rows = counted.map((k) => [k, ...SEVERITIES.map((s) => String(verdict.counts[k][s]))]);
    out.push('Findings by severity:', table(['KIND', ...SEVERITIES], rows), '');
  }
  const { applied, expired, unused } = verdict.waivers;
  if (applied.length > 0) out.push('Waivers applied:', ...applied.map(waiverLine));
  if (expired.length > 0) out.push('Waivers expired (not applied):', ...expired.map(waiverLine));
  if (unused.length > 0) {
    out.push(
      'Waivers unused (matched no finding):',
      ...unused.map((w) => waiverLine({ waiver: w, findingIds: [] })),
    );
  }
  out.push(verdictLine(verdict));
  return out.join('\n');
}
