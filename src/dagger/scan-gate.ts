/**
 * The policy gate as the scan and build stages apply it: parsed scanner output → verdict → manifest
 * record, and the reports written to `out/reports/` whatever the verdict.
 */
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { PolicyError, StageError } from '../core/errors.ts';
import type { ScanRecord } from '../core/manifest/schema.ts';
import { writeReportFile } from '../core/reports/write.ts';
import { evaluateGate, type GateVerdict } from '../core/security/gate.ts';
import type { Policy } from '../core/security/policy.ts';
import { renderVerdict, verdictLine } from '../core/security/render.ts';
import { classifyScannerExit, type ScannerName } from '../core/security/report-file.ts';
import type { ScanReport } from '../core/security/scan-report.ts';
import type { RepositorySuppression } from '../core/security/suppressions.ts';
import { type ScannerRun, tail } from './tools/scanner-run.ts';

/** One scanner run of one component, told apart: a report, a crash with its reason, or an unreadable report. */
export type ScanOutcome =
  | { scanner: ScannerName; component: string; file: string; report: ScanReport }
  | { scanner: ScannerName; component: string; file: string; crash: string }
  | { scanner: ScannerName; component: string; file: string; unreadable: PolicyError };

/**
 * Saves a scanner's raw JSON to `file` (when it wrote any) and classifies the run: a crash (no valid
 * report, or Semgrep exit ≥ 2) versus a completed scan, findings or not.
 */
export async function recordScannerRun(
  scanner: ScannerName,
  component: string,
  run: ScannerRun,
  file: string,
): Promise<ScanOutcome> {
  if (run.report !== '') await writeReportFile(file, run.report);
  const outcome = classifyScannerExit(scanner, run.exitCode, run.report, file);
  if (outcome.outcome === 'unreadable') return { scanner, component, file, unreadable: outcome.error };
  if (outcome.outcome === 'crashed') {
    const stderr = tail(run.stderr);
    return { scanner, component, file, crash: stderr ? `${outcome.reason}\n${stderr}` : outcome.reason };
  }
  return { scanner, component, file, report: { ...outcome.report, source: file } };
}

/**
 * Throws a StageError (exit 1) naming every crashed scanner; a crash is never read as "no findings". Then,
 * when a scanner that exited successfully left a report that cannot be read, the gate fails closed: the
 * PolicyError (exit 3) of the first such report, as `gantry gate` gives for the same file.
 */
export function failOnCrash(outcomes: readonly ScanOutcome[]): ScanReport[] {
  const crashed = outcomes.filter((o) => 'crash' in o);
  if (crashed.length > 0) {
    const lines = crashed.map((o) => `${o.scanner} on ${o.component}: ${'crash' in o ? o.crash : ''}`);
    throw new StageError('SCANNER_CRASHED', `a scanner failed, so nothing was gated:\n${lines.join('\n')}`, {
      hint: 'fix the scanner error above (DB download, rules, disk) and run the stage again; raw output is in out/reports/',
    });
  }
  const unreadable = outcomes.find((o) => 'unreadable' in o);
  if (unreadable && 'unreadable' in unreadable) throw unreadable.unreadable;
  return outcomes.flatMap((o) => ('report' in o ? [o.report] : []));
}

/**
 * The manifest record of a verdict. Report paths are kept relative to `base` (the repository root), so they
 * still resolve in a later CI job, which downloads `out/` into its own work folder.
 */
export function scanRecord(
  verdict: GateVerdict,
  reports: readonly string[],
  base: string,
): z.input<typeof ScanRecord> {
  return {
    verdict: verdict.blocked ? 'blocked' : 'passed',
    counts: verdict.counts,
    waivers: {
      applied: verdict.waivers.applied.map((u) => u.waiver.id),
      expired: verdict.waivers.expired.map((u) => u.waiver.id),
      unused: verdict.waivers.unused.map((w) => w.id),
    },
    reports: reports.map((r) => relative(base, r)),
  };
}

/** Evaluates reports against the policy. */
export function gate(
  reports: readonly ScanReport[],
  policy: Policy,
  now = new Date(),
  repositorySuppressions: readonly RepositorySuppression[] = [],
): GateVerdict {
  return evaluateGate(reports, policy, { now, repositorySuppressions });
}

/** Throws the PolicyError (exit 3) of a blocked verdict, with its table of blocking findings. */
export function throwIfBlocked(verdict: GateVerdict, what: string, reportsDir: string): void {
  if (!verdict.blocked) return;
  throw new PolicyError('GATE_BLOCKED', `${what} blocked by the security policy\n${renderVerdict(verdict)}`, {
    hint: `fix or upgrade the blocking findings, or add a waiver (id, reason, expiry) to the policy; reports in ${reportsDir}`,
  });
}

/** One line for the stage summary. */
export function gateMessage(verdict: GateVerdict): string {
  return verdictLine(verdict);
}

/** `out/reports/<name>`. */
export const reportPath = (outDir: string, name: string): string => join(outDir, 'reports', name);
