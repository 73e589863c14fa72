/**
 * The CI shape of the fixed nine-stage pipeline, until `ciShape(definition stages, config)` derives it from
 * the pipeline definition (issue 10). Only `gantry ci` uses it; replace the call in commands/ci.ts then.
 */
import type { GantryConfig } from '../../core/config/schema.ts';
import { NEEDS, PHASES, type StageName } from '../../core/graph.ts';
import type { CiPhase, CiShape } from './shape.ts';

/** Every `env://NAME` secret URI in the config (the ones a CI job maps in as variables). */
function envSecrets(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('env://') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(envSecrets);
  if (value && typeof value === 'object') return Object.values(value).flatMap(envSecrets);
  return [];
}

/** The shape of the standard pipeline for `config`. */
export function currentCiShape(config: GantryConfig): CiShape {
  const secrets = [...new Set(envSecrets(config))];
  const phaseOf = (stage: StageName) =>
    Object.entries(PHASES).find(([, stages]) => (stages as readonly string[]).includes(stage))?.[0] as string;
  const phases: CiPhase[] = Object.entries(PHASES).map(([name, stages]) => {
    const needs = [...new Set(stages.flatMap((s) => NEEDS[s].map(phaseOf)).filter((p) => p !== name))];
    const deploys = stages.flatMap((s) => {
      const env = s === 'deploy-staging' ? 'staging' : s === 'deploy-production' ? 'production' : undefined;
      const url = env ? config.environments[env]?.url : undefined;
      return env ? [{ environment: env, ...(url ? { url } : {}) }] : [];
    });
    const release = name !== 'verify';
    return {
      name,
      stages: [...stages],
      needs,
      ...(name === 'approve' ? { approval: { environment: 'production' } } : {}),
      deploys,
      secrets: release && name !== 'approve' ? secrets : [],
      release,
    };
  });
  return { project: config.name, phases };
}
