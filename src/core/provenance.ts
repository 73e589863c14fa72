/**
 * Attestation predicates built in TypeScript: SLSA v1 build provenance (attested with
 * `cosign attest --type https://slsa.dev/provenance/v1`, see {@link SLSA_PROVENANCE_V1}) and the cosign
 * vulnerability-scan predicate (`--type vuln`) around Trivy's JSON.
 *
 * Spec: https://slsa.dev/spec/v1.0/provenance (slsa-framework/slsa `spec/provenance.md`, releases/v1.0).
 */
import type { PlatformName } from './platform.ts';

/**
 * The SLSA v1 provenance predicate type. Passed to cosign as the URI, not as `slsaprovenance1`: cosign v2.x
 * re-serialises a `slsaprovenance1` predicate through in-toto-golang v0.9.0, which renames
 * `runDetails.metadata.invocationId` to `invocationID` and drops unknown fields; a URI type keeps the JSON
 * object unchanged and still writes this predicateType (cosign v2.6.4 `pkg/cosign/attestation/attestation.go`).
 */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/**
 * Gantry's build type: an image built from a Dockerfile of one component by a Gantry run. It says how to read
 * `externalParameters` (workflow, ref, config, component, dockerfile) and `internalParameters`
 * (platform, unpinned base images); documented in the README ("Provenance").
 */
export const GANTRY_BUILD_TYPE = 'https://gantry.dev/buildtypes/image/v1';

/** `runDetails.builder.id` of a run on a laptop or any machine that is not a known CI platform. */
export const LOCAL_BUILDER_ID = 'https://gantry.dev/builders/local/v1';

/**
 * An in-toto ResourceDescriptor as Gantry writes it: always a URI and a digest (the in-toto rule asks for
 * one of uri, digest or content; Gantry never lists a dependency it cannot pin).
 */
export interface ResourceDescriptor {
  uri: string;
  digest: Record<string, string>;
  name?: string;
  annotations?: Record<string, unknown>;
}

/** The CI workflow that ran the build, as the platform names it. */
export interface WorkflowRef {
  platform: PlatformName;
  /** GitHub `GITHUB_WORKFLOW_REF`, GitLab `CI_CONFIG_PATH`, Jenkins `JOB_NAME`; absent locally. */
  ref?: string;
}

/** What the provenance of one image says. */
export interface ProvenanceInput {
  /** Source repository URL, e.g. `https://github.com/acme/app`. */
  repository: string;
  commit: string;
  ref: string;
  /** Whether the work tree had uncommitted changes (then the commit does not describe the input fully). */
  dirty?: boolean | undefined;
  /** The run: the CI run URL, else the run id. Becomes `runDetails.metadata.invocationId`. */
  invocationId: string;
  /** `runDetails.builder.id`, from {@link builderId}. */
  builderId: string;
  workflow: WorkflowRef;
  /** gantry.yaml, relative to the repository root. */
  configFile: string;
  component: string;
  dockerfile: string;
  /** Base images from the Dockerfile's FROM lines. */
  baseImages: readonly string[];
  startedOn: Date;
  finishedOn: Date;
}

/** Base images named by a Dockerfile's FROM lines, without build-stage aliases and `scratch`. */
export function baseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!match?.[1]) continue;
    const image = match[1];
    if (!stages.has(image.toLowerCase()) && image !== 'scratch' && !images.includes(image))
      images.push(image);
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return images;
}

/** A base image pinned by digest as a ResourceDescriptor (`pkg:docker/<name>`, sha256), else undefined. */
export function imageDependency(image: string): ResourceDescriptor | undefined {
  const match = /^([^@\s]+)@sha256:([a-f0-9]{64})$/.exec(image);
  return match?.[1] && match[2] ? { uri: `pkg:docker/${match[1]}`, digest: { sha256: match[2] } } : undefined;
}

/** RFC 3339 UTC to the second, the form of the SLSA `Timestamp` (`<YYYY>-<MM>-<DD>T<hh>:<mm>:<ss>Z`). */
export function slsaTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The SLSA v1 provenance predicate of one image. Base images not pinned by digest cannot be a
 * ResourceDescriptor with a digest, so they are listed in `internalParameters.unpinnedBaseImages` instead.
 */
export function slsaProvenance(input: ProvenanceInput) {
  const images = input.baseImages.map((image) => ({ image, dependency: imageDependency(image) }));
  const source: ResourceDescriptor = {
    uri: `git+${input.repository}@${input.ref}`,
    digest: { gitCommit: input.commit },
    ...(input.dirty ? { annotations: { dirty: true } } : {}),
  };
  const unpinned = images.filter((i) => !i.dependency).map((i) => i.image);
  return {
    buildDefinition: {
      buildType: GANTRY_BUILD_TYPE,
      externalParameters: {
        workflow: input.workflow,
        ref: input.ref,
        config: input.configFile,
        component: input.component,
        dockerfile: input.dockerfile,
      },
      internalParameters: {
        platform: input.workflow.platform,
        ...(unpinned.length > 0 ? { unpinnedBaseImages: unpinned } : {}),
      },
      resolvedDependencies: [source, ...images.flatMap((i) => (i.dependency ? [i.dependency] : []))],
    },
    runDetails: {
      builder: { id: input.builderId },
      metadata: {
        invocationId: input.invocationId,
        startedOn: slsaTimestamp(input.startedOn),
        finishedOn: slsaTimestamp(input.finishedOn),
      },
    },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `runDetails.builder.id` from the CI platform's variables: GitHub the workflow file at its ref
 * (`<server>/<GITHUB_WORKFLOW_REF>`, the same form as the Fulcio Build Signer URI), else the runner
 * environment; GitLab the runner of the project (`<CI_PROJECT_URL>/-/runners/<CI_RUNNER_ID>`); Jenkins the
 * controller (`JENKINS_URL`); locally {@link LOCAL_BUILDER_ID}.
 */
export function builderId(platform: PlatformName, env: Env): string {
  switch (platform) {
    case 'github': {
      const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
      if (env.GITHUB_WORKFLOW_REF) return `${server}/${env.GITHUB_WORKFLOW_REF}`;
      return `${server}/actions/runner/${env.RUNNER_ENVIRONMENT ?? 'github-hosted'}`;
    }
    case 'gitlab':
      if (env.CI_PROJECT_URL && env.CI_RUNNER_ID)
        return `${env.CI_PROJECT_URL}/-/runners/${env.CI_RUNNER_ID}`;
      return env.CI_PROJECT_URL ?? env.CI_SERVER_URL ?? LOCAL_BUILDER_ID;
    case 'jenkins':
      return env.JENKINS_URL ?? LOCAL_BUILDER_ID;
    default:
      return LOCAL_BUILDER_ID;
  }
}

/** The workflow that ran the build, from the CI platform's variables. */
export function workflowRef(platform: PlatformName, env: Env): WorkflowRef {
  const ref =
    platform === 'github'
      ? env.GITHUB_WORKFLOW_REF
      : platform === 'gitlab'
        ? (env.CI_CONFIG_PATH ?? '.gitlab-ci.yml')
        : platform === 'jenkins'
          ? env.JOB_NAME
          : undefined;
  return ref ? { platform, ref } : { platform };
}

/** The cosign vulnerability predicate (`--type vuln`) wrapping an unfiltered Trivy JSON report. */
export function vulnPredicate(trivyReport: unknown, trivyVersion: string, scannedOn: Date) {
  return {
    invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
    scanner: {
      uri: `pkg:github/aquasecurity/trivy@${trivyVersion}`,
      version: trivyVersion,
      db: { uri: '', version: '' },
      result: trivyReport,
    },
    metadata: { scanStartedOn: scannedOn.toISOString(), scanFinishedOn: scannedOn.toISOString() },
  };
}

/** The source repository URL the CI platform names, else the local work tree. */
export function repositoryUrl(env: Readonly<Record<string, string | undefined>>, repoRoot: string): string {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY)
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  if (env.CI_PROJECT_URL) return env.CI_PROJECT_URL;
  if (env.GIT_URL) return env.GIT_URL;
  return `file://${repoRoot}`;
}

/** Where the sign stage writes the image subjects for `actions/attest-build-provenance` (`subject-checksums`). */
export const GITHUB_ATTEST_SUBJECTS = 'attest-subjects.txt';

/**
 * The `subject-checksums` input of actions/attest-build-provenance for the signed images: one
 * `<sha256 hex>  <repository>` line each, the `sha256sum` form that actions/attest `src/subject.ts`
 * (getSubjectFromChecksumsString) reads: hex digest, a space, an optional `*`/space flag, the name.
 */
export function githubAttestSubjects(images: readonly { repository: string; digest: string }[]): string {
  return images.map((i) => `${i.digest.replace(/^sha256:/, '')}  ${i.repository}\n`).join('');
}
