import type { GantryConfig } from '../core/config/schema.ts';
import { InputError } from '../core/errors.ts';
import { buildGraph, dependencies, type StageGraph } from '../core/graph.ts';
import { isExpansion, type PipelineDefinition, type StageDefinition } from './define.ts';

/** A pipeline definition made concrete for one config: every stage known, validated and ordered. */
export interface ResolvedPipeline {
  readonly graph: StageGraph<StageDefinition>;
  /** The definition says `allowUnscanned: true` and at least one deploy stage has no scan before it. */
  readonly unscanned: boolean;
  readonly definition: PipelineDefinition;
}

/**
 * Expands the definition with the loaded config (one deploy stage per environment), then validates it:
 * the graph (names, needs, cycles, phase order) and the invariants no definition can switch off silently —
 * a deploy stage with no scan stage among the stages it depends on is refused unless `allowUnscanned: true`.
 * Every refusal is an {@link InputError} (exit 2), before any engine starts.
 */
export function resolvePipeline(definition: PipelineDefinition, config: GantryConfig): ResolvedPipeline {
  if (!definition || !Array.isArray(definition.stages)) {
    throw new InputError('DEFINITION_INVALID', 'pipeline definition: `stages` must be a list of stages', {
      hint: 'call main({ stages: [...standardStages(), ...yourStages] }) in pipeline/main.ts',
    });
  }
  const stages = definition.stages.flatMap((entry) => (isExpansion(entry) ? entry.expand(config) : [entry]));
  for (const [i, stage] of stages.entries()) {
    if (
      !stage ||
      typeof stage.name !== 'string' ||
      typeof stage.run !== 'function' ||
      typeof stage.phase !== 'string' ||
      !Array.isArray(stage.needs)
    ) {
      throw new InputError(
        'DEFINITION_INVALID',
        `pipeline definition: entry ${i + 1} of \`stages\` is not a stage`,
        {
          hint: 'make each stage with defineStage({ name, phase, needs, run })',
        },
      );
    }
  }
  const graph = buildGraph(stages, definition.phases);
  const deploys = graph.stages.filter((s) => s.kind === 'deploy');
  const byName = new Map(graph.stages.map((s) => [s.name, s]));
  const unscannedDeploys = deploys.filter(
    (d) => ![...dependencies(graph, d.name)].some((n) => byName.get(n)?.kind === 'scan'),
  );
  if (unscannedDeploys.length > 0 && !definition.allowUnscanned) {
    throw new InputError(
      'DEFINITION_UNSCANNED',
      `pipeline definition: ${unscannedDeploys.map((d) => d.name).join(', ')} deploy${unscannedDeploys.length === 1 ? 's' : ''} without a scan stage before ${unscannedDeploys.length === 1 ? 'it' : 'them'}`,
      {
        hint: 'keep the standard scan stage (or a stage with kind: "scan") in the needs of every deploy, or say allowUnscanned: true in main({ … }) — plan and the summary then show it',
      },
    );
  }
  return { graph, unscanned: unscannedDeploys.length > 0, definition };
}
