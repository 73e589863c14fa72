/**
 * Jenkins wrapper: a declarative pipeline with one stage per phase, each calling the `gantry` step of Gantry's
 * shared library (vars/gantry.groovy); approvals behind the `input` directive with a `submitter`; the
 * `always` stages in `post { always { … } }`.
 */
import type { CiShape } from './shape.ts';
import {
  type CiFile,
  type CiGenerateOptions,
  GANTRY_PROJECT,
  generatedHeader,
  type RenderedPhase,
  type ResolvedCiOptions,
  renderPhases,
  resolveCiOptions,
  secretVariables,
} from './wrapper.ts';

/** Where the generated pipeline is written. */
export const JENKINSFILE = 'Jenkinsfile';

/** The Jenkins user or group allowed to approve an environment: `<env>-approvers`. */
export const approversOf = (environment: string) => `${environment}-approvers`;

/** A Jenkins credentials id for a secret variable: `REGISTRY_PASSWORD` → `gantry-registry-password`. */
export const credentialsIdOf = (variable: string) => `gantry-${variable.toLowerCase().replace(/_/g, '-')}`;

/** The Jenkinsfile for `shape`. Pure: the same shape and options give the same text. */
export function generateJenkins(shape: CiShape, options?: CiGenerateOptions): CiFile[] {
  const opts = resolveCiOptions(options);
  const phases = renderPhases(shape);
  const lines = [
    generatedHeader('jenkins', '//', opts, [
      `One stage per phase of ${shape.project}, each a call of the gantry step of the Gantry shared library.`,
      'Plugins: Pipeline, Credentials Binding, Lockable Resources, JUnit, Warnings Next Generation. Setup: docs/ci.md.',
    ]),
    library(opts),
    '',
    'pipeline {',
    '    agent any',
    '',
    '    options {',
    '        disableConcurrentBuilds()',
    "        buildDiscarder(logRotator(numToKeepStr: '30'))",
    "        timeout(time: 3, unit: 'HOURS')",
    '    }',
    '',
    '    environment {',
    "        CI = 'true'",
    '    }',
    '',
    '    stages {',
    "        stage('install') {",
    '            steps {',
    "                sh 'npm ci --no-audit --no-fund'",
    '            }',
    '        }',
    ...phases.flatMap((p) => ['', ...stage(p, shape, opts)]),
    '    }',
    '',
    '    post {',
    '        always {',
    ...(shape.finally
      ? [`            ${step({ alwaysOnly: 'true', config: quote(opts.config) }, shape.finally.secrets)}`]
      : []),
    "            junit allowEmptyResults: true, testResults: 'out/junit/*.xml'",
    "            recordIssues enabledForFailure: true, tools: [sarif(pattern: 'out/reports/*.sarif')]",
    "            archiveArtifacts artifacts: 'out/**', allowEmptyArchive: true, fingerprint: true",
    '        }',
    '    }',
    '}',
    '',
  ];
  return [
    {
      path: JENKINSFILE,
      description: 'declarative pipeline: one stage per phase, input approvals',
      content: lines.join('\n'),
    },
  ];
}

/** Loads the shared library without an admin registering it: from this SCM here, else Gantry's git, pinned. */
function library(opts: ResolvedCiOptions): string {
  if (opts.source.kind === 'local') {
    // The library is this repository: load it from the same SCM (and revision) as this Jenkinsfile.
    return "library(identifier: 'gantry@local', retriever: legacySCM(scm))";
  }
  return `library(identifier: 'gantry@${opts.source.ref}', retriever: modernSCM([$class: 'GitSCMSource', remote: '${GANTRY_PROJECT.jenkins}']))`;
}

function stage(phase: RenderedPhase, shape: CiShape, opts: ResolvedCiOptions): string[] {
  const args: Record<string, string> = { phase: quote(phase.name), config: quote(opts.config) };
  if (shape.finally) args.skipAlways = 'true';
  if (phase.noPublishOnChangeRequests) args.noPublish = 'env.CHANGE_ID != null';
  if (phase.deploys.length > 0 && !phase.approval) args.lock = quote(`gantry-deploy-${phase.deployLock}`);
  if (phase.approval) args.approver = 'env.APPROVER';
  const when = phase.defaultBranchOnly
    ? [
        '            when {',
        `                branch '${opts.defaultBranch}'`,
        ...(phase.approval ? ['                beforeInput true'] : []),
        '            }',
      ]
    : [];
  const gate = phase.approval
    ? [
        '            options {',
        "                timeout(time: 24, unit: 'HOURS')",
        '            }',
        '            input {',
        `                message 'Approve the digests in out/manifest.json for ${phase.approval.environment}?'`,
        "                ok 'Approve'",
        `                submitter '${approversOf(phase.approval.environment)}'`,
        "                submitterParameter 'APPROVER'",
        '            }',
      ]
    : [];
  return [
    `        stage('${phase.name}') {`,
    ...when,
    ...gate,
    '            steps {',
    `                ${step(args, phase.secrets)}`,
    '            }',
    '        }',
  ];
}

/** `gantry phase: 'verify', …, credentials: [string(…)]`: secrets bound as variables only for this call. */
function step(args: Record<string, string>, secrets: readonly string[]): string {
  const bindings = secretVariables(secrets).map(
    (v) => `string(credentialsId: '${credentialsIdOf(v)}', variable: '${v}')`,
  );
  const all = Object.entries(args).map(([k, v]) => `${k}: ${v}`);
  if (bindings.length > 0) all.push(`credentials: [${bindings.join(', ')}]`);
  return `gantry(${all.join(', ')})`;
}

function quote(value: string): string {
  if (!/^[A-Za-z0-9_.,/ -]+$/.test(value)) throw new Error(`not a safe Jenkinsfile string: ${value}`);
  return `'${value}'`;
}
