/**
 * The gate as users run it: `gantry gate` as a whole process, from source (`tsx pipeline/main.ts gate`) and
 * compiled (`node bin/gantry.js gate` over `dist/`, as an installed package runs it), timed and measured
 * exactly like jq (bench/gate-throughput.ts): wall time of the process and its peak RSS from
 * `/usr/bin/time -f %M` (GNU time: "%M maximum resident set size of the process during its lifetime, in
 * Kbytes"), the median of each over the runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './pipeline.ts';
import { median } from './stats.ts';

/** One command measured as a whole process. */
export interface ProcessBench {
  /** The command line, for the report. */
  command: string;
  /** Median wall time of the process, in milliseconds. */
  ms: number;
  /** Median peak resident set size of the process, in MB. */
  peakRssMb: number;
  /** Exit code of the first run (the gate exits 3 when the report blocks). */
  exitCode: number;
}

/** Runs `argv` `runs` times under `/usr/bin/time -f %M`; `ok` exit codes are accepted. */
export function processBench(label: string, argv: string[], runs: number, ok: number[] = [0]): ProcessBench {
  const samples = Array.from({ length: runs }, () => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const ms = performance.now() - t0;
    if (r.status === null || !ok.includes(r.status))
      throw new Error(`bench: ${label} exited ${r.status}: ${r.stderr.slice(-500)}`);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    return { ms, mb: kb / 1024, code: r.status };
  });
  return {
    command: label,
    ms: median(samples.map((s) => s.ms)),
    peakRssMb: Math.round(median(samples.map((s) => s.mb))),
    exitCode: samples[0]?.code ?? -1,
  };
}

/**
 * Builds the package as `npm pack` would ship it (`npm run build`: tsc -p tsconfig.build.json) into a temporary
 * copy, with this repository's node_modules linked in; returns its root and a cleanup function.
 */
export function compiledCopy(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'gantry-bench-pkg-'));
  for (const entry of [
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'index.ts',
    'src',
    'bin',
    'policies',
  ]) {
    cpSync(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** `gantry gate --trivy FILE` from source and compiled, each a whole process, median of `runs`. */
export function gateCommands(file: string, runs: number): ProcessBench[] {
  const policy = join(REPO_ROOT, 'policies/default.yaml');
  const args = ['gate', '--trivy', file, '--policy', policy];
  const source = processBench(
    'tsx pipeline/main.ts gate',
    [join(REPO_ROOT, 'node_modules/.bin/tsx'), join(REPO_ROOT, 'pipeline/main.ts'), ...args],
    runs,
    [0, 3],
  );
  const pkg = compiledCopy();
  try {
    const compiled = processBench(
      'node bin/gantry.js gate (compiled)',
      ['node', join(pkg.root, 'bin/gantry.js'), ...args],
      runs,
      [0, 3],
    );
    return [source, compiled];
  } finally {
    pkg.cleanup();
  }
}
