/**
 * GitLab CI wrapper: the Gantry CI/CD component included with the pipeline's phases as its stages, and one
 * job per phase extending the component's job templates (`.gantry:verify`, `.gantry:release`, the manual
 * `.gantry:approve` in a protected environment, `.gantry:finally` with `when: always`).
 */
import { stringify } from 'yaml';
import type { CiShape } from './shape.ts';
import {
  type CiFile,
  type CiGenerateOptions,
  GANTRY_PROJECT,
  generatedHeader,
  type RenderedPhase,
  renderPhases,
  resolveCiOptions,
  spaceEntries,
} from './wrapper.ts';

/** Where the generated pipeline is written. */
export const GITLAB_PIPELINE = '.gitlab-ci.yml';
/** The component template, in Gantry's project (`templates/<name>.yml`, included as `<project>/gantry@<ref>`). */
export const GITLAB_COMPONENT = 'templates/gantry.yml';

/** The job name of a phase. */
export const gitlabJob = (phase: string) => `gantry:${phase}`;

/** The `.gitlab-ci.yml` for `shape`. Pure: the same shape and options give the same text. */
export function generateGitlab(shape: CiShape, options?: CiGenerateOptions): CiFile[] {
  const opts = resolveCiOptions(options);
  const phases = renderPhases(shape);
  const inputs = { stages: phases.map((p) => p.name), config: opts.config };
  const include =
    opts.source.kind === 'local'
      ? { local: GITLAB_COMPONENT, inputs }
      : { component: `${GANTRY_PROJECT.gitlab}/gantry@${opts.source.ref}`, inputs };
  const doc: Record<string, unknown> = {
    include: [include],
    // One pipeline per change: merge request pipelines, and branch pipelines only without an open MR.
    workflow: {
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
        { if: '$CI_COMMIT_BRANCH' },
      ],
    },
  };
  for (const phase of phases) doc[gitlabJob(phase.name)] = job(phase);
  if (shape.finally) {
    doc[gitlabJob('finally')] = {
      extends: '.gantry:finally',
      stage: '.post',
      script: ['$GANTRY run --always-only --config "$GANTRY_CONFIG"'],
    };
  }
  const header = generatedHeader('gitlab', '#', opts, [
    `Stages are the phases of ${shape.project}; each job extends a job template of the Gantry component.`,
    'Approval jobs are manual, in an environment that must be protected. Setup: docs/ci.md.',
  ]);
  const body = spaceEntries(stringify(doc, { lineWidth: 0 }), '');
  return [
    {
      path: GITLAB_PIPELINE,
      description: 'pipeline: includes the Gantry component, one job per phase',
      content: `${header}\n${body}`,
    },
  ];
}

function job(phase: RenderedPhase): Record<string, unknown> {
  const template = phase.approval
    ? '.gantry:approve'
    : phase.defaultBranchOnly
      ? '.gantry:release'
      : '.gantry:verify';
  const flags = phase.argv.slice(3).join(' ');
  const run = `$GANTRY run --phase ${phase.name}${flags ? ` ${flags}` : ''} --config "$GANTRY_CONFIG"`;
  const environment = phase.approval
    ? { name: phase.environment, action: 'prepare' }
    : phase.environment === undefined
      ? undefined
      : { name: phase.environment, ...urlOf(phase) };
  return {
    extends: template,
    stage: phase.name,
    ...(phase.needs.length > 0 ? { needs: phase.needs.map(gitlabJob) } : {}),
    ...(phase.deploys.length > 0 && !phase.approval ? { resource_group: phase.deployLock } : {}),
    ...(environment ? { environment } : {}),
    script: [phase.noPublishOnChangeRequests ? `${run} $GANTRY_RUN_FLAGS` : run],
  };
}

function urlOf(phase: RenderedPhase): { url?: string } {
  const url = phase.deploys.at(-1)?.url;
  return url ? { url } : {};
}
