/**
 * Parallel efficiency: the full pipeline against the critical path of the stage graph and against the
 * stages run one after another, with the wire-test engine taking a fixed time for every exec.
 *
 * Per-stage latencies are measured, not assumed: the sequential baseline runs `gantry run --only S` for
 * each stage in order against ONE engine (which, like Dagger's cache, runs an identical exec only once),
 * and each stage's duration there is its own latency. The critical path is the longest path through
 * `NEEDS` (pipeline/graph.ts) over those latencies.
 */

import { startTestEngine } from '../test/support/engine/index.ts';
import { needsOf } from '../test/support/pipeline.ts';
import { fullPipelineScenario } from '../test/support/scenarios.ts';
import { benchRun, tempOut } from './pipeline.ts';

const NEEDS = needsOf();
const STAGES = Object.keys(NEEDS);
type StageName = string;

/** One measurement of the three figures. */
export interface ParallelRun {
  /** Wall time of `gantry run` (all nine stages, concurrent where the graph allows). */
  wallMs: number;
  /** Sum of the wall times of the nine `gantry run --only S` commands, one after another. */
  sequentialMs: number;
  /** Longest NEEDS path over the per-stage latencies of the sequential run. */
  criticalPathMs: number;
  /** The stages on that path. */
  criticalPath: StageName[];
  /** Per-stage latency (duration in the sequential run). */
  stageMs: Record<StageName, number>;
  /** Execs the engine ran in the full run. */
  execs: number;
  /** Components in the pipeline. */
  components: number;
}

/** Longest path through NEEDS ending at any stage, over `latency`. */
export function criticalPath(latency: Readonly<Record<StageName, number>>): {
  ms: number;
  path: StageName[];
} {
  const best = new Map<StageName, { ms: number; path: StageName[] }>();
  for (const stage of STAGES) {
    const before = (NEEDS[stage] ?? [])
      .map((n) => best.get(n))
      .reduce<{ ms: number; path: StageName[] }>((a, b) => (b && b.ms > a.ms ? b : a), { ms: 0, path: [] });
    best.set(stage, { ms: before.ms + (latency[stage] ?? 0), path: [...before.path, stage] });
  }
  return [...best.values()].reduce((a, b) => (b.ms > a.ms ? b : a));
}

/** Measures once with `execDelayMs` per exec, on this repository's gantry.yaml or on `config` (`components`). */
export async function measureParallel(
  execDelayMs: number,
  config?: { file: string; components: number },
): Promise<ParallelRun> {
  const scenario = () => fullPipelineScenario({ execDelayMs });
  const full = await startTestEngine(scenario());
  const fullOut = await tempOut();
  let wallMs: number;
  let execs: number;
  try {
    wallMs = (await benchRun(full, [], fullOut.manifest, config?.file)).wallMs;
    execs = full.execs().length;
  } finally {
    await full.close();
    await fullOut.cleanup();
  }
  const seq = await startTestEngine(scenario());
  const seqOut = await tempOut();
  const stageMs = {} as Record<StageName, number>;
  let sequentialMs = 0;
  try {
    for (const stage of STAGES) {
      const run = await benchRun(seq, ['--only', stage], seqOut.manifest, config?.file);
      sequentialMs += run.wallMs;
      stageMs[stage] = run.manifest.stages[stage]?.durationMs ?? run.wallMs;
    }
  } finally {
    await seq.close();
    await seqOut.cleanup();
  }
  const critical = criticalPath(stageMs);
  return {
    wallMs,
    sequentialMs,
    criticalPathMs: critical.ms,
    criticalPath: critical.path,
    stageMs,
    execs,
    components: config?.components ?? 1,
  };
}
