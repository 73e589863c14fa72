/**
 * `npm run bench`: every figure of issue 7 as a ratio against a baseline measured in the same run, printed
 * and written to bench/RESULTS.md. Not a test: the figures depend on the machine.
 *
 * @example npm run bench            # BENCH_RUNS=3 BENCH_EXEC_DELAY_MS=50 npm run bench to change the defaults
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { measureGate } from './gate-throughput.ts';
import { measureParallel, type ParallelRun } from './parallel.ts';
import { multiComponentConfig, REPO_ROOT } from './pipeline.ts';
import { measureRerun } from './rerun.ts';
import { type BenchResults, headline, renderMarkdown } from './results.ts';
import { measureRoundTrips, type RoundTrips } from './round-trips.ts';
import { measureStartUp } from './startup.ts';
import { median, repeat } from './stats.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const execDelayMs = Number(process.env.BENCH_EXEC_DELAY_MS ?? 100);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The sample whose value of `key` is the median one. */
function medianBy<T>(samples: T[], key: (s: T) => number): T {
  const m = median(samples.map(key));
  return samples.reduce((a, b) => (Math.abs(key(b) - m) < Math.abs(key(a) - m) ? b : a));
}

const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
log(`engine round trips (${runs} full runs)…`);
const trips = await repeat(runs, () => measureRoundTrips());
const roundTrips: RoundTrips = medianBy(trips, (t) => t.requests);
log(`parallel efficiency (${runs} × full + sequential runs, ${execDelayMs} ms per exec)…`);
const parallelRuns: ParallelRun[] = await repeat(runs, () => measureParallel(execDelayMs));
const parallel = {
  ...medianBy(parallelRuns, (p) => p.wallMs / p.criticalPathMs),
  wallMs: median(parallelRuns.map((p) => p.wallMs)),
  criticalPathMs: median(parallelRuns.map((p) => p.criticalPathMs)),
  sequentialMs: median(parallelRuns.map((p) => p.sequentialMs)),
  samples: parallelRuns.map((p) => p.wallMs),
  execDelayMs,
};
const COMPONENTS = 3;
log(`parallel efficiency, ${COMPONENTS} components (${runs} × full + sequential runs)…`);
const multi = await multiComponentConfig(COMPONENTS);
let multiRuns: ParallelRun[];
try {
  multiRuns = await repeat(runs, () =>
    measureParallel(execDelayMs, { file: multi.file, components: COMPONENTS }),
  );
} finally {
  await multi.cleanup();
}
const parallelMulti = {
  ...medianBy(multiRuns, (p) => p.wallMs / p.sequentialMs),
  wallMs: median(multiRuns.map((p) => p.wallMs)),
  criticalPathMs: median(multiRuns.map((p) => p.criticalPathMs)),
  sequentialMs: median(multiRuns.map((p) => p.sequentialMs)),
  samples: multiRuns.map((p) => p.wallMs),
  execDelayMs,
};
log(`start-up (${runs} spawns each)…`);
const startUp = await measureStartUp(runs);
log(`gate throughput (${runs} runs each; gantry gate as whole processes, source and compiled)…`);
const gate = await measureGate(100_000, runs);

log('second run of an unchanged repository (two full runs against one engine)…');
const rerun = {
  ...(await measureRerun()),
  at: new Date().toISOString(),
  load: loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
};

const results: BenchResults = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    node: process.version,
    platform: `${platform()} ${release()}`,
    load,
  },
  command: 'npm run bench',
  runs,
  roundTrips,
  parallel,
  parallelMulti,
  startUp,
  gate,
  rerun,
};
for (const line of headline(results)) process.stdout.write(`${line}\n`);
const file = join(REPO_ROOT, 'bench/RESULTS.md');
await writeFile(file, renderMarkdown(results));
log(`wrote ${file}`);
