/**
 * The build stage: per component, concurrently — `docker build` of the source, Trivy scan of the image
 * tarball and the policy gate BEFORE anything is published, a CycloneDX SBOM, then `publish` and the
 * `repository@sha256:…` reference recorded in the run manifest. Blocked → nothing is published (exit 3).
 */
import { join, relative } from 'node:path';
import { type Container, type Directory, dag, type Platform, type Secret } from '@dagger.io/dagger';
import type { z } from 'zod';
import type { Component } from '../core/config/schema.ts';
import { InputError, StageError } from '../core/errors.ts';
import { IMAGES } from '../core/images.ts';
import { resolvePolicyFile } from '../core/package-files.ts';
import { toGitLabContainerScanning } from '../core/reports/gitlab.ts';
import { SARIF_TOOLS, toSarif } from '../core/reports/sarif.ts';
import { writeReportFile } from '../core/reports/write.ts';
import { loadPolicy } from '../core/security/policy.ts';
import type { ScanReport } from '../core/security/scan-report.ts';
import {
  failOnCrash,
  gate,
  gateMessage,
  recordScannerRun,
  reportPath,
  scanRecord,
  throwIfBlocked,
} from '../dagger/scan-gate.ts';
import { publishImage, type RegistryTarget, registryTarget } from '../dagger/services/registry.ts';
import { checkout } from '../dagger/source.ts';
import { readScannerRun } from '../dagger/tools/scanner-run.ts';
import { TRIVY_OUT, type TrivyOptions, trivyDb, trivyImage, trivySbom } from '../dagger/tools/trivy.ts';
import type { StageContext, StageFn } from '../runtime/types.ts';
import { type BuildOutput, CONTRACTS } from './contracts.ts';
import { requireReleaseSource } from './source-guard.ts';

type BuildOutputType = z.infer<typeof BuildOutput>;
type ScanRecordType = NonNullable<BuildOutputType['imageScan']>;

/** Options of {@link buildImage} (Dagger `Directory.dockerBuild`, schema-v0.21.8.graphqls line 1858). */
export interface BuildImageOptions {
  /** Dockerfile, relative to the source. @default 'Dockerfile' */
  dockerfile?: string;
  /** Build args: plain values, readable in the image history. @default {} */
  args?: Record<string, string> | undefined;
  /** Build secrets, mounted at /run/secrets/<the Dagger secret's name>. @default [] */
  secrets?: Secret[] | undefined;
  /** Dockerfile stage to build. @default the last stage */
  target?: string | undefined;
  /** Platform to build, e.g. `linux/arm64`. @default the engine's platform */
  platform?: string | undefined;
}

/** The image of a source folder built from its Dockerfile (lazy). */
export function buildImage(source: Directory, options: BuildImageOptions = {}): Container {
  const { dockerfile = 'Dockerfile', args = {}, secrets = [], target, platform } = options;
  const buildArgs = Object.entries(args).map(([name, value]) => ({ name, value }));
  return source.dockerBuild({
    dockerfile,
    ...(buildArgs.length > 0 ? { buildArgs } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(target ? { target } : {}),
    ...(platform ? { platform: platform as Platform } : {}),
  });
}

/**
 * A component's images, one per platform of `build.platforms` (one image when none is set), built from its
 * build context (`build.context` from the repository root, else the component path) with its Dockerfile
 * (always relative to the component path), args, secrets and target. Each secret is handed to the build under
 * its id, so `RUN --mount=type=secret,id=<id>` finds it at /run/secrets/<id>: dockerBuild mounts a secret at
 * "/run/secrets/[secret-name]" (schema-v0.21.8 line 1858), so the secret is renamed with `setSecret(id, …)`,
 * as Dagger's cookbook "Use secret in Dockerfile build" does; its value only passes through memory.
 */
export async function componentImages(repoRoot: string, component: Component): Promise<Container[]> {
  const build = component.build;
  const contextDir = join(repoRoot, build?.context ?? component.path);
  const dockerfile = relative(contextDir, join(repoRoot, component.path, component.dockerfile));
  const source = checkout(contextDir);
  const secrets = await Promise.all(
    Object.entries(build?.secrets ?? {}).map(async ([id, ref]) =>
      dag.setSecret(id, await dag.secret(ref).plaintext()),
    ),
  );
  const platforms: (string | undefined)[] = build?.platforms.length ? build.platforms : [undefined];
  return platforms.map((platform) =>
    buildImage(source, { dockerfile, args: build?.args, secrets, target: build?.target, platform }),
  );
}

/** The repository an image is published under: `component.image`, or the component name. */
export const repositoryOf = (component: Component): string => component.image ?? component.name;

async function scanImage(component: Component, built: BuiltImage, outDir: string, trivy: TrivyOptions) {
  // A multi-platform image is scanned on `image`, its first platform (see the README's build options).
  const { image, platformVariants = [] } = built;
  const scanned = trivyImage(image.asTarball(), trivy);
  const run = await readScannerRun(scanned, `${TRIVY_OUT}/trivy.json`);
  const sbomFile = join(outDir, 'sbom', `${component.name}.cdx.json`);
  // The SBOM is converted from the scan's JSON (made with --list-all-pkgs), so the image is scanned once.
  // A crashed scan has no JSON to convert: the crash is reported by failOnCrash below.
  if (run.exitCode === 0 && run.report !== '')
    await writeReportFile(sbomFile, await trivySbom(scanned).contents());
  const outcome = await recordScannerRun(
    'trivy',
    component.name,
    run,
    reportPath(outDir, `trivy-image-${component.name}.json`),
  );
  return { component, image, platformVariants, sbomFile, outcome };
}

type Scanned = Awaited<ReturnType<typeof scanImage>> & { report: ScanReport };

const versionOf = (image: string) => image.replace(/^.*:v?/, '');

/**
 * The reference an image is published under, `<registry>/<repository>:<tag>`: what the GitLab
 * container-scanning report names (its `location.image`, "The analyzed Docker image", GitLab schema 15.2.1),
 * not Trivy's artifact name, which is the tarball path `/image/image.tar`. Facts §13.
 */
export const publishedRef = (target: RegistryTarget, component: Component, tag: string): string =>
  `${target.address}/${repositoryOf(component)}:${tag}`;

async function writeImageReports(
  scanned: readonly Scanned[],
  outDir: string,
  start: Date,
  imageRef: (component: Component) => string,
) {
  const files = {
    sarif: reportPath(outDir, 'trivy-image.sarif'),
    gitlab: reportPath(outDir, 'gl-container-scanning-report.json'),
  };
  const scanner = { id: 'trivy', name: 'Trivy', version: versionOf(IMAGES.trivy), vendor: 'Aqua Security' };
  const perImage = scanned.map((s) =>
    toGitLabContainerScanning(s.report.findings, {
      scanner,
      startTime: start,
      endTime: new Date(),
      image: imageRef(s.component),
      ...(s.report.operatingSystem ? { operatingSystem: s.report.operatingSystem } : {}),
    }),
  );
  const [first] = perImage;
  const gitlab = first && { ...first, vulnerabilities: perImage.flatMap((r) => r.vulnerabilities) };
  await Promise.all([
    writeReportFile(
      files.sarif,
      toSarif(
        scanned.flatMap((s) => s.report.findings),
        SARIF_TOOLS.trivy,
      ),
    ),
    gitlab ? writeReportFile(files.gitlab, gitlab) : Promise.resolve(),
  ]);
  return Object.values(files);
}

function imageTag(ctx: StageContext): string {
  const m = ctx.manifest.get();
  return m.source ? m.source.commit.slice(0, 12) : `run-${m.runId.slice(0, 8)}`;
}

async function publishAll(ctx: StageContext, scanned: readonly Scanned[], target: RegistryTarget) {
  const tag = imageTag(ctx);
  return Promise.all(
    scanned.map(async (s) => {
      // Several platforms: one index from an empty container, its digest for all of them (publish
      // platformVariants, "Used for multi-platform image", schema-v0.21.8 line 743).
      const ref =
        s.platformVariants.length > 0
          ? await publishImage(dag.container(), target, repositoryOf(s.component), tag, s.platformVariants)
          : await publishImage(s.image, target, repositoryOf(s.component), tag);
      const match = /^(?<repository>[^@\s]+)@(?<digest>sha256:[a-f0-9]{64})$/.exec(ref);
      if (!match?.groups) {
        throw new StageError(
          'PUBLISH_NO_DIGEST',
          `publishing ${s.component.name} returned ${ref}, not a digest`,
          {
            hint: 'check that the registry supports OCI manifests and returns a digest on push',
          },
        );
      }
      // publish may echo the tag (`repo:tag@sha256:…`); the recorded reference is by digest alone.
      const repository = (match.groups.repository ?? '').replace(/:[^/:]*$/, '');
      const digest = match.groups.digest ?? '';
      return { ...s, repository, digest, ref: `${repository}@${digest}` };
    }),
  );
}

/** One built image to scan, publish and record (see {@link publishImages}). */
export interface BuiltImage {
  /** The component's name in gantry.yaml. */
  component: string;
  /** The image (lazy); of a multi-platform image, the platform that is scanned. */
  image: Container;
  /** Every platform of a multi-platform image (including `image`), published as one index. @default [] */
  platformVariants?: readonly Container[] | undefined;
}

/**
 * What the build stage does after `docker build`, for a build of your own: scans each image tarball with Trivy
 * and applies the policy BEFORE anything is published (blocked: exit 3, nothing published), writes the SBOM
 * and reports, publishes by digest, and records the images. With `gantry run --no-publish` (pull requests) it
 * stops after the gate: nothing is published and no image is recorded. Returns the build contract's output, so the
 * standard sign and deploy stages work unchanged after a replaced build.
 *
 * @example
 * const build = defineStage({ name: 'build', phase: 'release', needs: ['test', 'scan'],
 *   run: async (ctx) => publishImages(ctx, [{ component: 'api',
 *     image: ctx.source('api').dockerBuild({ buildArgs: [{ name: 'VERSION', value: '1.2.3' }] }) }]) });
 */
export async function publishImages(
  ctx: StageContext,
  builds: readonly BuiltImage[],
): Promise<{ message: string; output?: BuildOutputType }> {
  // Later phases build the commit this run verified, and nothing else (exit 2).
  await requireReleaseSource(ctx, 'build', 'release');
  const start = new Date();
  const policy = await loadPolicy(resolvePolicyFile(ctx.repoRoot, ctx.config.policy));
  const { runId } = ctx.manifest.get();
  const trivy = { runId, db: trivyDb(runId) };
  const built = await Promise.all(
    builds.map((b) => {
      const component = ctx.config.components.find((c) => c.name === b.component);
      if (!component) {
        throw new InputError(
          'UNKNOWN_COMPONENT',
          `publishImages: no component named "${b.component}" in gantry.yaml`,
          {
            hint: `use one of: ${ctx.config.components.map((c) => c.name).join(', ')}`,
          },
        );
      }
      return scanImage(component, b, ctx.outDir, trivy);
    }),
  );
  const reports = failOnCrash(built.map((b) => b.outcome));
  const scanned = built.map((b, i) => ({ ...b, report: reports[i] as ScanReport }));
  const verdict = gate(reports, policy);
  const target = registryTarget(ctx.config, runId);
  const tag = imageTag(ctx);
  const written = await writeImageReports(scanned, ctx.outDir, start, (c) => publishedRef(target, c, tag));
  const imageScan = scanRecord(
    verdict,
    [...built.map((b) => b.outcome.file), ...written],
    ctx.repoRoot,
  ) as ScanRecordType;
  await ctx.manifest.update((m) => {
    m.imageScan = imageScan;
  });
  throwIfBlocked(verdict, 'the image scan', join(ctx.outDir, 'reports'));
  if (ctx.options.noPublish) {
    const names = scanned.map((s) => s.component.name).join(', ');
    return { message: `${names} built and scanned, not published: --no-publish (${gateMessage(verdict)})` };
  }

  const published = await publishAll(ctx, scanned, target);
  const output: BuildOutputType = {
    registry: { address: target.address, embedded: target.kind === 'embedded' },
    images: Object.fromEntries(
      published.map((p) => [
        p.component.name,
        {
          ref: p.ref,
          sbom: relative(ctx.repoRoot, p.sbomFile),
          scanReport: relative(ctx.repoRoot, reportPath(ctx.outDir, `trivy-image-${p.component.name}.json`)),
        },
      ]),
    ),
    imageScan,
  };
  await ctx.manifest.update((m) => CONTRACTS.build.record(m, output));
  const refs = published.map((p) => p.ref).join(', ');
  return { message: `${refs} (${gateMessage(verdict)})`, output };
}

/** A component's {@link BuiltImage}: its first platform scanned, all of them published as one index. */
const componentBuild =
  (repoRoot: string) =>
  async (component: Component): Promise<BuiltImage> => {
    const [image, ...others] = await componentImages(repoRoot, component);
    return {
      component: component.name,
      image: image as Container,
      ...(others.length > 0 ? { platformVariants: [image as Container, ...others] } : {}),
    };
  };

/** The build stage (see the module comment). */
export const buildStage: StageFn = async (ctx) =>
  publishImages(ctx, await Promise.all(ctx.config.components.map(componentBuild(ctx.repoRoot))));
