/**
 * Attestation predicates built in TypeScript: SLSA provenance (v0.2, what `cosign attest --type
 * slsaprovenance` expects) and the cosign vulnerability-scan predicate (`--type vuln`) around Trivy's JSON.
 */

/** One SLSA material: a source or a base image, with a digest when known. */
export interface Material {
  uri: string;
  digest?: Record<string, string>;
}

/** What the provenance of one image says. */
export interface ProvenanceInput {
  /** Source repository URL, e.g. `https://github.com/acme/app`. */
  repository: string;
  commit: string;
  ref: string;
  /** The CI run URL; absent for local runs. */
  runUrl?: string | undefined;
  /** Platform name: local, github, gitlab, jenkins. */
  platform: string;
  component: string;
  dockerfile: string;
  /** Base images from the Dockerfile's FROM lines. */
  baseImages: readonly string[];
  startedOn: Date;
  finishedOn: Date;
}

/** The SLSA predicate type cosign writes for `--type slsaprovenance`. */
export const SLSA_PREDICATE_TYPE = 'https://slsa.dev/provenance/v0.2';

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

/** A base image as a material: `pkg:docker/<name>[@version]`, with its sha256 when pinned by digest. */
export function imageMaterial(image: string): Material {
  const [name, digest] = image.split('@sha256:');
  return digest ? { uri: `pkg:docker/${name}`, digest: { sha256: digest } } : { uri: `pkg:docker/${image}` };
}

/** The SLSA v0.2 provenance predicate of one image: builder = Gantry + run URL, source and base images. */
export function slsaProvenance(input: ProvenanceInput) {
  const source = `git+${input.repository}`;
  return {
    builder: { id: input.runUrl ?? `gantry://${input.platform}` },
    buildType: 'https://github.com/gantry-ci/gantry/docker-build@v1',
    invocation: {
      configSource: {
        uri: `${source}@${input.ref}`,
        digest: { sha1: input.commit },
        entryPoint: 'gantry run',
      },
      parameters: { component: input.component, dockerfile: input.dockerfile },
      environment: { platform: input.platform },
    },
    metadata: {
      buildStartedOn: input.startedOn.toISOString(),
      buildFinishedOn: input.finishedOn.toISOString(),
      completeness: { parameters: true, environment: false, materials: true },
      reproducible: false,
    },
    materials: [{ uri: source, digest: { sha1: input.commit } }, ...input.baseImages.map(imageMaterial)],
  };
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
