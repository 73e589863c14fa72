/**
 * Gate throughput: 100,000 findings through read + parse + policy ({@link benchGate}, in a child process
 * so that the peak memory is its own) against `jq` filtering the same report by severity.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateBench } from './gate.ts';
import { writeTrivyReport } from './gate.ts';
import { gateCommands, type ProcessBench } from './gate-command.ts';
import { REPO_ROOT } from './pipeline.ts';
import { median } from './stats.ts';

/** The jq baseline, or why it was skipped. */
export type JqBench = { ms: number; peakRssMb: number; matched: number } | { skipped: string };

/** The jq filter: the CRITICAL and HIGH vulnerabilities, counted. */
export const JQ_FILTER =
  '[.Results[]?.Vulnerabilities[]? | select(.Severity == "CRITICAL" or .Severity == "HIGH")] | length';

/** Gate and jq figures. */
export interface GateThroughput {
  /** In-process: read + parse + gate in a warm process (the second line). */
  gate: GateBench;
  /** The headline: `gantry gate` as whole processes, source and compiled. */
  commands: ProcessBench[];
  jq: JqBench;
}

/** Runs the gate benchmark on `file` in a child process of its own. */
export function gateInChild(file: string, findings: number, runs: number): GateBench {
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const result = spawnSync(
    tsx,
    [join(REPO_ROOT, 'bench/gate-child.ts'), file, String(findings), String(runs)],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`bench: gate benchmark failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as GateBench;
}

/** `jq JQ_FILTER file` under `/usr/bin/time`, median of `runs`. */
export function jqBench(file: string, runs: number): JqBench {
  const probe = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skipped: 'jq is not installed (apt-get install -y jq)' };
  const time = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' });
  if (time.error || time.status !== 0)
    return { skipped: '/usr/bin/time is not installed (apt-get install -y time)' };
  const samples = Array.from({ length: runs }, () => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'jq', JQ_FILTER, file], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`bench: jq failed: ${r.stderr}`);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    return { ms, peakRssMb: kb / 1024, matched: Number(r.stdout.trim()) };
  });
  return {
    ms: median(samples.map((s) => s.ms)),
    // the same statistic as the gate's: the median peak (it was the maximum before, against the gate's median)
    peakRssMb: Math.round(median(samples.map((s) => s.peakRssMb))),
    matched: samples[0]?.matched ?? 0,
  };
}

/** Measures the gate and jq on reports of `findings` findings. */
export async function measureGate(findings = 100_000, runs = 5): Promise<GateThroughput> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-gate-'));
  try {
    // One report, written here: the gate's child process and jq both only read it.
    const file = join(dir, 'trivy.json');
    await writeTrivyReport(file, findings);
    // Time: the median of `runs` gates in one process. Memory: a gate runs once per `gantry gate` or scan, so
    // its peak is that of a fresh process gating the report once (median of `runs` such processes); peaks
    // over several runs in one process measure the garbage collector's heap growth as much as the gate.
    const timed = gateInChild(file, findings, runs);
    const single = Array.from({ length: runs }, () => gateInChild(file, findings, 1));
    const gate: GateBench = {
      ...timed,
      baselineRssMb: median(single.map((g) => g.baselineRssMb)),
      peakRssMb: median(single.map((g) => g.peakRssMb)),
    };
    return { gate, commands: gateCommands(file, runs), jq: jqBench(file, runs) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
