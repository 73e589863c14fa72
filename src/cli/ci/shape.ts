import type { GantryConfig } from '../../core/config/schema.ts';
import type { StageDefinition } from '../../runtime/define.ts';
import type { ResolvedPipeline } from '../../runtime/pipeline.ts';

/**
 * What a CI wrapper needs to know about a pipeline: its phases in order, which phase waits for which, the
 * approval gate in front of a phase, the environments it deploys to, and the secrets its stages need.
 * Derived from the pipeline definition (`ciShape`), so generated wrappers follow the team's stages.
 */

/** One CI job: the stages of one phase, run with `gantry run --phase <name> --skip-always`. */
export interface CiPhase {
  /** Phase name, e.g. `verify`, `release`, `approve`, `promote`, or a team's own (`integration`). */
  name: string;
  /** The stages of the phase, in dependency order. */
  stages: string[];
  /** Phases whose jobs must have passed before this one starts (from the stages' needs). */
  needs: string[];
  /**
   * Set when the phase is an approval: its job must sit behind the platform's human gate
   * (GitHub environment with required reviewers, GitLab `when: manual` in a protected environment,
   * Jenkins `input` with `submitter`). The environment is the one being approved.
   */
  approval?: { environment: string } | undefined;
  /** Environments the phase deploys to, in order, with their URL when the config gives one. */
  deploys: { environment: string; url?: string | undefined }[];
  /** Secret URIs the phase's stages need (`env://NAME`, …), so the job can map them in. */
  secrets: string[];
  /** Whether the phase publishes, signs or deploys (runs on the default branch only, never on pull requests). */
  release: boolean;
}

/** The pipeline as CI sees it. */
export interface CiShape {
  /** Project name from gantry.yaml. */
  project: string;
  /** The phases in order. */
  phases: CiPhase[];
  /**
   * `always` stages: a final job that runs whatever happened to the others (`if: always()`,
   * `when: always`, `post { always }`), with `gantry run --always-only`. Absent when there are none.
   */
  finally?: { stages: string[]; secrets: string[] } | undefined;
  /** Also attest each image with the platform's own build-provenance action (`provenance.githubAttestation`). */
  githubAttestation?: boolean | undefined;
}

/** Secret URIs the standard stages read from gantry.yaml, by stage. */
function configSecrets(stage: StageDefinition, config: GantryConfig): string[] {
  const registry = config.registry?.password ? [config.registry.password] : [];
  const signing = config.signing.mode === 'key' ? [config.signing.key, config.signing.password] : [];
  if (stage.name === 'build') return registry;
  if (stage.name === 'sign') return [...registry, ...signing];
  if (stage.kind === 'deploy') {
    const env = config.environments.find((e) => `deploy-${e.name}` === stage.name);
    const own = [env?.kubeconfig, env?.gitops?.token, env?.gitops?.argocd?.token].filter(
      (s): s is string => typeof s === 'string',
    );
    return [...registry, ...own];
  }
  return [];
}

const unique = (list: readonly string[]) => [...new Set(list)];

/**
 * The pipeline as CI sees it: one job per phase (its stages without the `always` ones), each needing the
 * phases its stages need, an approval gate on the phases of approve stages, and a final job for the `always`
 * stages. Generated wrappers follow it, so a team's own phase becomes its own job.
 */
export function ciShape(pipeline: ResolvedPipeline, config: GantryConfig): CiShape {
  const stages = pipeline.graph.stages;
  const phaseOf = new Map(stages.map((s) => [s.name, s.phase]));
  const phases: CiPhase[] = [];
  for (const phase of pipeline.graph.phases) {
    const own = stages.filter((s) => s.phase === phase && !s.always);
    if (own.length === 0) continue;
    const needs = unique(
      own.flatMap((s) => s.needs.map((n) => phaseOf.get(n) ?? phase)).filter((p) => p !== phase),
    ).filter((p) => phases.some((q) => q.name === p));
    const approve = own.find((s) => s.kind === 'approve');
    phases.push({
      name: phase,
      stages: own.map((s) => s.name),
      needs,
      approval: approve ? { environment: approve.name.replace(/^approve-/, '') } : undefined,
      deploys: own
        .filter((s) => s.kind === 'deploy')
        .map((s) => {
          const environment = s.name.replace(/^deploy-/, '');
          const url = config.environments.find((e) => e.name === environment)?.url;
          return { environment, ...(url ? { url } : {}) };
        }),
      secrets: unique(own.flatMap((s) => [...(s.secrets ?? []), ...configSecrets(s, config)])),
      release: own.some(
        (s) => s.kind === 'deploy' || s.kind === 'approve' || s.name === 'build' || s.name === 'sign',
      ),
    });
  }
  const finals = stages.filter((s) => s.always);
  return {
    project: config.name,
    phases,
    ...(config.provenance?.githubAttestation ? { githubAttestation: true } : {}),
    ...(finals.length > 0
      ? {
          finally: {
            stages: finals.map((s) => s.name),
            secrets: unique(finals.flatMap((s) => s.secrets ?? [])),
          },
        }
      : {}),
  };
}
