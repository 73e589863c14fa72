import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/core/errors.ts';
import { IMAGES } from '../../src/core/images.ts';
import { buildStage } from '../../src/stages/build.ts';
import type { Step } from '../support/engine/index.ts';
import { COMMIT, fixture, REPO_ROOT, runStage, stageContext, type TempRepo, tempRepo } from './support.ts';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const POLICY = join(REPO_ROOT, 'policies/default.yaml');
const CLEAN = '{"SchemaVersion":2,"ArtifactName":"img.tar","ArtifactType":"container_image"}';
const SBOM = '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}';

const files = (imageReport: string) => (steps: Step[]) => {
  const path = [...steps].reverse().find((s) => s.field === 'file')?.args.path;
  if (path === '/out/trivy.json') return imageReport;
  if (path === '/out/sbom.cdx.json') return SBOM;
  return undefined;
};

const leaf = (steps: Step[]) => steps.at(-1)?.field;

async function context(config: Record<string, unknown> = {}) {
  repo = await tempRepo();
  const ctx = stageContext(repo, {
    components: [{ name: 'api', dockerfile: 'build/Dockerfile' }],
    policy: POLICY,
    ...config,
  });
  await ctx.manifest.update((m) => {
    m.source = { commit: COMMIT, ref: 'main', dirty: false };
  });
  return ctx;
}

describe('build stage (wire)', () => {
  it('builds with dockerBuild, scans the tarball with trivy image --input, then publishes by digest', async () => {
    const ctx = await context();
    const { engine, error, result } = await runStage(buildStage, ctx, { files: files(CLEAN) });
    expect(error).toBeUndefined();
    const scan = engine.execs().find((e) => e.argv[1] === 'image' && e.argv.includes('--input'));
    expect(scan?.image).toBe(IMAGES.trivy);
    expect(scan?.argv).toEqual(expect.arrayContaining(['--input', '/image/image.tar', '--format', 'json']));
    const tar = scan?.mounts.find((m) => m.path === '/image/image.tar');
    const fields = tar?.source?.map((s) => s.field) ?? [];
    expect(fields).toEqual(['host', 'directory', 'dockerBuild', 'asTarball']);
    expect(tar?.source?.[2]?.args).toEqual({ dockerfile: 'build/Dockerfile' });
    // One scan: JSON with every package (--list-all-pkgs), then `trivy convert` to CycloneDX in the same
    // container (trivy v0.57.1 docs trivy_convert.md, configuration/reporting.md; facts §6).
    expect(scan?.argv).toContain('--list-all-pkgs');
    expect(scan?.argv).toContain('--skip-db-update');
    expect(engine.execs().filter((e) => e.argv[0] === 'trivy' && e.argv.includes('--input'))).toHaveLength(1);
    const sbom = engine.execs().find((e) => e.argv.includes('cyclonedx'));
    expect(sbom?.argv).toEqual([
      'trivy',
      'convert',
      '--format',
      'cyclonedx',
      '--output',
      '/out/sbom.cdx.json',
      '/out/trivy.json',
    ]);
    const convertChain = (sbom?.steps ?? []).filter((s) => s.field === 'withExec');
    expect((convertChain[0]?.args.args as string[] | undefined)?.slice(0, 3)).toEqual([
      'trivy',
      'image',
      '--input',
    ]);

    // publish comes after the image scan answered, to the embedded registry as a service.
    const publish = engine.calls.find((c) => leaf(c.steps) === 'publish');
    expect(publish?.steps.at(-1)?.args.address).toBe(`localhost:5000/api:${COMMIT.slice(0, 12)}`);
    const registry = publish?.steps.at(-1)?.args.registryService as Step[];
    expect(registry.map((s) => s.field)).toEqual([
      'container',
      'from',
      'withMountedCache',
      'withExposedPort',
      'asService',
    ]);
    expect(registry[1]?.args.address).toBe(IMAGES.registry);
    const scanRequests = engine.calls
      .filter((c) => c.steps.some((s) => s.field === 'withExec' && (s.args.args as string[])[1] === 'image'))
      .map((c) => engine.requests[c.request]);
    const publishRequest = engine.requests[publish?.request ?? -1];
    for (const r of scanRequests)
      expect(r?.end ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(publishRequest?.start ?? 0);

    const m = ctx.manifest.get();
    const image = m.components.api?.image;
    expect(image?.ref).toMatch(/^localhost:5000\/api@sha256:[a-f0-9]{64}$/);
    expect(image?.ref).toBe(`${image?.repository}@${image?.digest}`);
    expect(m.registry).toEqual({ address: 'localhost:5000', embedded: true });
    expect(m.imageScan?.verdict).toBe('passed');
    expect(await readFile(join(repo?.outDir ?? '', 'sbom/api.cdx.json'), 'utf8')).toBe(SBOM);
    // Relative to the repository root, so a later CI job finds it in its own copy of out/.
    expect(image?.sbom).toBe('out/sbom/api.cdx.json');
    expect(result?.message).toContain(image?.ref);
  });

  it('publishes nothing when the image scan blocks (exit 3), and still writes the reports', async () => {
    const ctx = await context();
    const { engine, error } = await runStage(buildStage, ctx, {
      files: files(await fixture('trivy/image-alpine-39.json')),
    });
    expect(error).toBeInstanceOf(PolicyError);
    expect(engine.calls.some((c) => leaf(c.steps) === 'publish')).toBe(false);
    expect(ctx.manifest.get().components.api?.image).toBeUndefined();
    expect(ctx.manifest.get().imageScan?.verdict).toBe('blocked');
    const gl = JSON.parse(
      await readFile(join(repo?.outDir ?? '', 'reports/gl-container-scanning-report.json'), 'utf8'),
    );
    expect(gl.vulnerabilities.length).toBeGreaterThan(0);
    // location.image is "The analyzed Docker image" (GitLab container-scanning schema 15.2.1, facts §13): the
    // reference the image is published under, not Trivy's ArtifactName (the tarball path /image/image.tar).
    for (const v of gl.vulnerabilities)
      expect(v.location.image).toBe(`localhost:5000/api:${COMMIT.slice(0, 12)}`);
    await expect(readFile(join(repo?.outDir ?? '', 'reports/trivy-image.sarif'), 'utf8')).resolves.toContain(
      '2.1.0',
    );
  });

  it('publishes to a configured registry with withRegistryAuth and the password as a secret', async () => {
    const ctx = await context({
      registry: { address: 'ghcr.io/acme', username: 'bot', password: 'env://REGISTRY_TOKEN' },
    });
    const { engine, error } = await runStage(buildStage, ctx, {
      files: files(CLEAN),
      secrets: { 'env://REGISTRY_TOKEN': 'hunter2-token' },
    });
    expect(error).toBeUndefined();
    const publish = engine.calls.find((c) => leaf(c.steps) === 'publish');
    const auth = publish?.steps.find((s) => s.field === 'withRegistryAuth');
    // Dagger keys registry credentials by host only (v0.21.8 auth/registry.go parseAuthAddress; facts §10).
    expect(auth?.args).toMatchObject({ address: 'ghcr.io', username: 'bot' });
    expect((auth?.args.secret as Step[] | undefined)?.at(-1)).toEqual({
      field: 'secret',
      args: { uri: 'env://REGISTRY_TOKEN' },
    });
    expect(publish?.steps.at(-1)?.args.registryService).toBeUndefined();
    expect(engine.leaks('hunter2-token')).toEqual([]);
    expect(ctx.manifest.get().registry).toEqual({ address: 'ghcr.io/acme', embedded: false });
  });

  it('builds and scans several components concurrently', async () => {
    const ctx = await context({ components: [{ name: 'api' }, { name: 'web' }] });
    const { engine, error } = await runStage(buildStage, ctx, {
      files: files(CLEAN),
      exec: [{ argv: /^trivy/, delayMs: 150 }],
    });
    expect(error).toBeUndefined();
    expect(engine.maxConcurrency()).toBeGreaterThanOrEqual(4);
    expect(Object.keys(ctx.manifest.get().components).sort()).toEqual(['api', 'web']);
  });

  // Dagger v0.21.8 schema (/work/shared/dagger/schema-v0.21.8.graphqls; facts §14): Directory.dockerBuild
  // (line 1858: buildArgs, secrets "mounted at /run/secrets/[secret-name]", target, platform) and
  // Container.publish (line 743: platformVariants "Used for multi-platform image").
  it('builds each platform with args, secrets by id, target and a separate context; publishes one index', async () => {
    const ctx = await context({
      components: [
        {
          name: 'api',
          path: 'services/api',
          build: {
            context: '.',
            args: { NODE_ENV: 'production' },
            secrets: { npm_token: 'env://NPM_TOKEN' },
            target: 'runtime',
            platforms: ['linux/amd64', 'linux/arm64'],
          },
        },
      ],
    });
    const { engine, error } = await runStage(buildStage, ctx, {
      files: files(CLEAN),
      secrets: { 'env://NPM_TOKEN': 'npm-s3cret' },
    });
    expect(error).toBeUndefined();
    const publishes = engine.calls.filter((c) => leaf(c.steps) === 'publish');
    expect(publishes).toHaveLength(1);
    const publish = publishes[0];
    // The index is published from an empty container, its platforms given as platformVariants.
    expect(publish?.steps.map((s) => s.field)).toEqual(['container', 'publish']);
    const variants = publish?.steps.at(-1)?.args.platformVariants as Step[][];
    expect(variants).toHaveLength(2);
    const builds = variants.map((v) => v.find((s) => s.field === 'dockerBuild')?.args);
    expect(builds.map((b) => b?.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const b of builds) {
      expect(b).toMatchObject({
        // The Dockerfile stays relative to the component path, given relative to the context.
        dockerfile: 'services/api/Dockerfile',
        buildArgs: [{ name: 'NODE_ENV', value: 'production' }],
        target: 'runtime',
      });
      // The secret reaches the build under its id, so RUN --mount=type=secret,id=npm_token finds it.
      const secret = (b?.secrets as Step[][] | undefined)?.[0]?.at(-1);
      expect(secret).toMatchObject({ field: 'setSecret', args: { name: 'npm_token' } });
    }
    // The context is the repository root, not the component folder.
    const buildContext = variants[0]?.find((s) => s.field === 'directory');
    expect(String(buildContext?.args.path)).toBe(repo?.root);
    // The scan covers the first platform.
    const scan = engine.execs().find((e) => e.argv.includes('--input'));
    const tar = scan?.mounts.find((m) => m.path === '/image/image.tar');
    expect(tar?.source?.find((s) => s.field === 'dockerBuild')?.args.platform).toBe('linux/amd64');
    expect(engine.leaks('npm-s3cret')).toEqual([]);
    expect(ctx.manifest.get().components.api?.image?.ref).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  it('without build options: one dockerBuild with only the Dockerfile, published alone', async () => {
    const ctx = await context();
    const { engine, error } = await runStage(buildStage, ctx, { files: files(CLEAN) });
    expect(error).toBeUndefined();
    const publish = engine.calls.find((c) => leaf(c.steps) === 'publish');
    expect(publish?.steps.at(-1)?.args.platformVariants).toBeUndefined();
    expect(publish?.steps.find((s) => s.field === 'dockerBuild')?.args).toEqual({
      dockerfile: 'build/Dockerfile',
    });
  });

  it('rejects a build context outside the repository', async () => {
    for (const outside of ['../other', '/etc', 'services/../../other']) {
      await expect(context({ components: [{ name: 'api', build: { context: outside } }] })).rejects.toThrow(
        /inside the repository/,
      );
    }
    await expect(
      context({ components: [{ name: 'api', build: { context: 'services/..' } }] }),
    ).rejects.toThrow(/inside the repository/);
  });

  it('--no-publish builds and scans, publishes nothing and records no image (pull-request builds)', async () => {
    const ctx = await context();
    ctx.options.noPublish = true;
    const { engine, error, result } = await runStage(buildStage, ctx, { files: files(CLEAN) });
    expect(error).toBeUndefined();
    expect(engine.execs().some((e) => e.argv.includes('--input'))).toBe(true);
    expect(engine.calls.some((c) => c.steps.some((s) => s.field === 'publish'))).toBe(false);
    expect(ctx.manifest.get().components.api?.image).toBeUndefined();
    expect(ctx.manifest.get().imageScan?.verdict).toBe('passed');
    expect(result?.message).toContain('not published: --no-publish');
    expect(result?.output).toBeUndefined();
  });
});
