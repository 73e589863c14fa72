/** The repository's own pipeline as the tests and benches see it: the standard stages over its gantry.yaml. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../../src/core/config/load.ts';
import { type ResolvedPipeline, resolvePipeline } from '../../src/runtime/pipeline.ts';
import { standardStages } from '../../src/stages/standard.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The standard pipeline resolved for a config file (default: this repository's gantry.yaml). */
export function standardPipeline(configFile = resolve(ROOT, 'gantry.yaml')): ResolvedPipeline {
  return resolvePipeline(
    { stages: standardStages() },
    parseConfig(readFileSync(configFile, 'utf8'), configFile),
  );
}

/** Phase → its stages, in order. */
export function phasesOf(pipeline: ResolvedPipeline = standardPipeline()): Record<string, string[]> {
  return Object.fromEntries(
    pipeline.graph.phases.map((p) => [
      p,
      pipeline.graph.stages.filter((s) => s.phase === p).map((s) => s.name),
    ]),
  );
}

/** Stage → the stages it needs. */
export function needsOf(pipeline: ResolvedPipeline = standardPipeline()): Record<string, readonly string[]> {
  return Object.fromEntries(pipeline.graph.stages.map((s) => [s.name, s.needs]));
}
