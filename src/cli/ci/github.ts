/**
 * GitHub Actions wrapper: one job per phase chained by `needs`, each calling Gantry's composite action
 * (`action.yml`) for its phase; approvals through the reusable approval workflow, whose job runs in the
 * approved environment (required reviewers are set on it); a final `if: always()` job for `always` stages.
 */
import { stringify } from 'yaml';
import type { CiShape } from './shape.ts';
import {
  type CiFile,
  type CiGenerateOptions,
  GANTRY_PROJECT,
  generatedHeader,
  phaseTitle,
  type RenderedPhase,
  type ResolvedCiOptions,
  renderPhases,
  resolveCiOptions,
  secretVariables,
} from './wrapper.ts';

/**
 * Actions every generated workflow uses, pinned by commit SHA (the tag in the comment). The SHAs are the
 * tags' commits: checkout v4.2.2 and upload/download-artifact as in this repository's workflows since the
 * start; codeql-action upload-sarif v4.36.2 from notes/cosign-slsa-facts.md item 6.
 */
export const PINNED_ACTIONS = {
  checkout: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
  uploadArtifact: 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2',
  downloadArtifact: 'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0',
  uploadSarif: 'github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2',
  // actions/attest-build-provenance v4.1.0 (its tag's commit); input subject-checksums (action.yml at v4.1.0).
  attestBuildProvenance: 'actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32 # v4.1.0',
} as const;

/** Where the generated workflow is written. */
export const GITHUB_WORKFLOW = '.github/workflows/gantry.yml';
/** The reusable approval workflow, in Gantry's repository (`uses: ./…` here, pinned elsewhere). */
export const GITHUB_APPROVE_WORKFLOW = '.github/workflows/gantry-approve.yml';

const ON_DEFAULT_BRANCH =
  "github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch";

/** A GitHub expression, `${{ … }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;

/** The workflow for `shape`. Pure: the same shape and options give the same text. */
export function generateGithub(shape: CiShape, options?: CiGenerateOptions): CiFile[] {
  const opts = resolveCiOptions(options);
  const phases = renderPhases(shape);
  const jobs: Record<string, unknown> = {};
  for (const phase of phases)
    jobs[phase.name] = phase.approval
      ? approveJob(phase, opts)
      : phaseJob(phase, opts, shape.githubAttestation === true);
  if (shape.finally) {
    jobs.finally = {
      name: `finally (${shape.finally.stages.join(', ')})`,
      needs: phases.map((p) => p.name),
      if: 'always()',
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 30,
      permissions: { contents: 'read' },
      steps: [
        checkout(),
        // Each phase's manifest in phase order: the last one that ran wins (a skipped phase left none).
        ...phases.map((p) => ({
          uses: PINNED_ACTIONS.downloadArtifact,
          'continue-on-error': true,
          with: { name: `gantry-${p.name}`, path: 'out' },
        })),
        {
          uses: actionRef(opts),
          ...secretEnv(shape.finally.secrets),
          with: { 'always-only': true, config: opts.config, engine: gh('vars.DAGGER_RUNNER_HOST') },
        },
      ],
    };
  }
  const workflow = {
    name: 'gantry',
    on: { pull_request: null, push: { branches: [opts.defaultBranch] }, workflow_dispatch: null },
    permissions: {},
    jobs,
  };
  const header = generatedHeader('github', '#', opts, [
    `One job per phase of ${shape.project}, chained by needs; out/ (the run manifest) travels as an artifact.`,
    'Approvals run in the reusable approval workflow, in an environment with required reviewers. Setup: docs/ci.md.',
  ]);
  const [top = '', jobText = ''] = stringify(workflow, { lineWidth: 0, nullStr: '' })
    .replace(/: $/gm, ':')
    .split(/^jobs:\n/m);
  // A blank line between jobs, for reading.
  const body = `${top}jobs:\n${jobText.replace(/\n( {2}[\w-]+:)\n/g, '\n\n$1\n')}`
    // A pinned `uses:` keeps its tag as a YAML comment, not inside the value.
    .replace(/^(\s*(?:- )?uses): "?([^"\s]+) # ([^"]+)"?$/gm, '$1: $2 # $3');
  return [
    {
      path: GITHUB_WORKFLOW,
      description: 'workflow: one job per phase, calling the Gantry action',
      content: `${header}\n${body}`,
    },
  ];
}

function phaseJob(phase: RenderedPhase, opts: ResolvedCiOptions, attest = false): Record<string, unknown> {
  const scans = phase.stages.some((s) => s === 'scan' || s === 'build');
  const env = phase.environment;
  const publishes = phase.stages.some((s) => s === 'build' || s === 'sign');
  // GitHub's own build provenance, next to Gantry's SLSA v1 attestation, in the job that signs: the sign stage
  // writes out/attest-subjects.txt (sha256sum form) for the action's subject-checksums input.
  const attests = attest && phase.stages.includes('sign');
  return {
    name: phaseTitle(phase),
    ...needsAndIf(phase),
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 60,
    permissions: {
      contents: 'read',
      ...(scans ? { actions: 'read', 'security-events': 'write' } : {}),
      // Publishing and keyless signing (Gantry asks for the OIDC token itself); deploys only read images.
      ...(publishes ? { packages: 'write', 'id-token': 'write' } : phase.release ? { packages: 'read' } : {}),
      ...(attests ? { attestations: 'write' } : {}),
    },
    ...(env === undefined ? {} : { environment: environment(phase, env) }),
    concurrency:
      phase.deploys.length > 0
        ? { group: `gantry-deploy-${phase.deployLock}`, 'cancel-in-progress': false }
        : {
            group: `gantry-${phase.name}-\${{ github.ref }}`,
            'cancel-in-progress': gh("github.event_name == 'pull_request'"),
          },
    steps: [
      checkout(),
      ...download(phase),
      {
        id: 'gantry',
        uses: actionRef(opts),
        ...secretEnv(phase.secrets),
        with: {
          phase: phase.name,
          config: opts.config,
          engine: gh('vars.DAGGER_RUNNER_HOST'),
          ...(phase.argv.includes('--skip-always') ? { 'skip-always': true } : {}),
          ...(phase.noPublishOnChangeRequests
            ? { 'no-publish': gh("github.event_name == 'pull_request'") }
            : {}),
        },
      },
      ...(attests
        ? [
            {
              name: 'GitHub build provenance (gh attestation verify)',
              if: "hashFiles('out/attest-subjects.txt') != ''",
              uses: PINNED_ACTIONS.attestBuildProvenance,
              with: { 'subject-checksums': 'out/attest-subjects.txt' },
            },
          ]
        : []),
      ...(scans
        ? [
            {
              name: 'Upload scan findings (SARIF) to code scanning',
              if: "always() && hashFiles('out/reports/*.sarif') != ''",
              uses: PINNED_ACTIONS.uploadSarif,
              with: { sarif_file: 'out/reports', category: `gantry-${phase.name}` },
            },
          ]
        : []),
      {
        uses: PINNED_ACTIONS.uploadArtifact,
        if: 'always()',
        with: { name: `gantry-${phase.name}`, path: 'out/', 'if-no-files-found': 'warn' },
      },
    ],
  };
}

/** An approval: the reusable workflow, whose job runs in the approved environment (a required input). */
function approveJob(phase: RenderedPhase, opts: ResolvedCiOptions): Record<string, unknown> {
  return {
    name: phaseTitle(phase),
    ...needsAndIf(phase),
    uses:
      opts.source.kind === 'local'
        ? `./${GITHUB_APPROVE_WORKFLOW}`
        : `${GANTRY_PROJECT.github}/${GITHUB_APPROVE_WORKFLOW}@${pin(opts)}`,
    // actions: read for the approvals API (who reviewed); packages: write pushes the signed approval.
    permissions: { contents: 'read', actions: 'read', packages: 'write', 'id-token': 'write' },
    with: {
      environment: phase.approval?.environment,
      phase: phase.name,
      config: opts.config,
      ...(phase.argv.includes('--skip-always') ? { 'skip-always': true } : {}),
      ...(phase.after ? { 'manifest-artifact': `gantry-${phase.after}` } : {}),
    },
    // Only the names the reusable workflow declares; set them as secrets of the environment.
    secrets: {
      GANTRY_APPROVAL_KEY: gh('secrets.GANTRY_APPROVAL_KEY'),
      GANTRY_APPROVAL_PASSWORD: gh('secrets.GANTRY_APPROVAL_PASSWORD'),
      REGISTRY_PASSWORD: gh('secrets.REGISTRY_PASSWORD'),
    },
  };
}

function needsAndIf(phase: RenderedPhase): Record<string, unknown> {
  return {
    ...(phase.needs.length > 0 ? { needs: [...phase.needs] } : {}),
    ...(phase.release ? { if: ON_DEFAULT_BRANCH } : {}),
  };
}

function environment(phase: RenderedPhase, name: string): Record<string, string> {
  const url = phase.deploys.find((d) => d.environment === name || `${d.environment}-deploy` === name)?.url;
  return url ? { name, url } : { name };
}

function checkout(): Record<string, unknown> {
  return { uses: PINNED_ACTIONS.checkout, with: { 'persist-credentials': false } };
}

function download(phase: RenderedPhase): Record<string, unknown>[] {
  return phase.after
    ? [{ uses: PINNED_ACTIONS.downloadArtifact, with: { name: `gantry-${phase.after}`, path: 'out' } }]
    : [];
}

function secretEnv(uris: readonly string[]): Record<string, unknown> {
  const names = secretVariables(uris);
  return names.length === 0 ? {} : { env: Object.fromEntries(names.map((n) => [n, `\${{ secrets.${n} }}`])) };
}

/** `uses:` of the composite action: `./` here, else Gantry's repository pinned by SHA. */
function actionRef(opts: ResolvedCiOptions): string {
  return opts.source.kind === 'local' ? './' : `${GANTRY_PROJECT.github}@${pin(opts)}`;
}

function pin(opts: ResolvedCiOptions): string {
  if (opts.source.kind !== 'pinned') return '';
  const { ref, tag } = opts.source;
  if (!/^[0-9a-f]{40}$/.test(ref)) {
    throw new Error(`GitHub actions are pinned by full commit SHA; got "${ref}"`);
  }
  return tag ? `${ref} # ${tag}` : ref;
}
