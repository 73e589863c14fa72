/**
 * The scan stage: Trivy filesystem scan (vulnerabilities, secrets, misconfigurations) and Semgrep SAST of
 * each component's source, then the policy gate in TypeScript on the unfiltered output. Reports are
 * written to `out/reports/` on every run, blocked or not.
 */
import { join, resolve } from 'node:path';
import type { Directory } from '@dagger.io/dagger';
import { BUILTIN_RULE_SETS } from '../core/config/scan.ts';
import type { Component } from '../core/config/schema.ts';
import { IMAGES } from '../core/images.ts';
import { resolvePolicyFile } from '../core/package-files.ts';
import { toGitLabSast } from '../core/reports/gitlab.ts';
import { SARIF_TOOLS, toSarif } from '../core/reports/sarif.ts';
import { writeReportFile } from '../core/reports/write.ts';
import { loadPolicy } from '../core/security/policy.ts';
import type { ScanReport } from '../core/security/scan-report.ts';
import { findRepositorySuppressions, type RepositorySuppression } from '../core/security/suppressions.ts';
import {
  failOnCrash,
  gate,
  gateMessage,
  recordScannerRun,
  reportPath,
  scanRecord,
  throwIfBlocked,
} from '../dagger/scan-gate.ts';
import { checkout } from '../dagger/source.ts';
import { readScannerRun } from '../dagger/tools/scanner-run.ts';
import {
  SEMGREP_REPORT,
  type SemgrepOptions,
  type SemgrepRuleFile,
  semgrep,
} from '../dagger/tools/semgrep.ts';
import {
  BUILTIN_SEMGREP_RULES,
  builtinRuleFiles,
  configuredSemgrepRules,
} from '../dagger/tools/semgrep-rules.ts';
import { TRIVY_OUT, type TrivyOptions, trivyDb, trivyFs } from '../dagger/tools/trivy.ts';
import type { StageFn } from '../runtime/types.ts';

/** The Semgrep rules shipped with Gantry (`policies/semgrep/`), the offline default. */
export const SHIPPED_SEMGREP_RULES = BUILTIN_SEMGREP_RULES;

/** Options of {@link scanSource}. */
export interface ScanSourceOptions {
  /** Semgrep rule files. @default every built-in rule set of {@link SHIPPED_SEMGREP_RULES} */
  rules?: readonly SemgrepRuleFile[];
  /** Passed to Trivy. @default {} */
  trivy?: TrivyOptions;
  /** Passed to Semgrep (registry packs are opt-in here). @default {} */
  semgrep?: SemgrepOptions;
  /** The run: both scans run fresh once per run, never answered from an earlier run's cache. @default a new id per process */
  runId?: string | undefined;
}

/** The two scanner containers of one source folder; lazy until read. */
export function scanSource(source: Directory, options: ScanSourceOptions = {}) {
  const rules = options.rules ?? builtinRuleFiles(BUILTIN_RULE_SETS);
  const { runId } = options;
  return {
    trivy: trivyFs(source, { runId, ...options.trivy }),
    semgrep: semgrep(source, rules, { runId, ...options.semgrep }),
  };
}

async function scanComponent(
  component: Component,
  repoRoot: string,
  outDir: string,
  semgrepRules: Awaited<ReturnType<typeof configuredSemgrepRules>>,
  run: Pick<ScanSourceOptions, 'runId' | 'trivy'>,
) {
  const { rules, registryConfigs } = semgrepRules;
  const source = checkout(join(repoRoot, component.path));
  const { trivy, semgrep: sast } = scanSource(source, { ...run, rules, semgrep: { registryConfigs } });
  const [trivyRun, semgrepRun] = await Promise.all([
    readScannerRun(trivy, `${TRIVY_OUT}/trivy.json`),
    readScannerRun(sast, SEMGREP_REPORT),
  ]);
  return Promise.all([
    recordScannerRun(
      'trivy',
      component.name,
      trivyRun,
      reportPath(outDir, `trivy-fs-${component.name}.json`),
    ),
    recordScannerRun(
      'semgrep',
      component.name,
      semgrepRun,
      reportPath(outDir, `semgrep-${component.name}.json`),
    ),
  ]);
}

const versionOf = (image: string) => image.replace(/^.*:v?/, '');

/** Writes SARIF per scanner and the GitLab SAST report; returns the paths written. */
async function writeScanReports(
  reports: readonly ScanReport[],
  outDir: string,
  start: Date,
): Promise<string[]> {
  const of = (scanner: 'trivy' | 'semgrep') =>
    reports.filter((r) => r.scanner === scanner).flatMap((r) => r.findings);
  const files = {
    trivy: reportPath(outDir, 'trivy.sarif'),
    semgrep: reportPath(outDir, 'semgrep.sarif'),
    gitlab: reportPath(outDir, 'gl-sast-report.json'),
  };
  const sast = toGitLabSast([...of('semgrep'), ...of('trivy')], {
    scanner: { id: 'semgrep', name: 'Semgrep', version: versionOf(IMAGES.semgrep), vendor: 'Semgrep' },
    startTime: start,
    endTime: new Date(),
  });
  await Promise.all([
    writeReportFile(files.trivy, toSarif(of('trivy'), SARIF_TOOLS.trivy)),
    writeReportFile(files.semgrep, toSarif(of('semgrep'), SARIF_TOOLS.semgrep)),
    writeReportFile(files.gitlab, sast),
  ]);
  return Object.values(files);
}

/** Suppressions in the scanned component folders (counted and shown; refused when the policy says so). */
async function repositorySuppressions(ctx: Parameters<StageFn>[0]): Promise<RepositorySuppression[]> {
  const lists = await Promise.all(
    ctx.config.components.map(async (c) =>
      (await findRepositorySuppressions(resolve(ctx.repoRoot, c.path))).map((s) => ({
        ...s,
        file: join(c.path, s.file),
      })),
    ),
  );
  return lists.flat();
}

/** The scan stage: every component scanned concurrently; blocked → PolicyError (exit 3), reports kept. */
export const scanStage: StageFn = async (ctx) => {
  const start = new Date();
  const policy = await loadPolicy(resolvePolicyFile(ctx.repoRoot, ctx.config.policy));
  const rules = await configuredSemgrepRules(ctx.config, ctx.repoRoot);
  const { runId } = ctx.manifest.get();
  // One DB download for the run; every component's scan gets its own copy (see tools/trivy.ts).
  const run = { runId, trivy: { db: trivyDb(runId) } };
  const outcomes = (
    await Promise.all(
      ctx.config.components.map((c) => scanComponent(c, ctx.repoRoot, ctx.outDir, rules, run)),
    )
  ).flat();
  const reports = failOnCrash(outcomes);
  const verdict = gate(reports, policy, new Date(), await repositorySuppressions(ctx));
  const written = await writeScanReports(reports, ctx.outDir, start);
  await ctx.manifest.update((m) => {
    m.scan = scanRecord(verdict, [...outcomes.map((o) => o.file), ...written], ctx.repoRoot) as typeof m.scan;
  });
  throwIfBlocked(verdict, 'the source scan', join(ctx.outDir, 'reports'));
  return { message: gateMessage(verdict) };
};
