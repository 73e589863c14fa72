import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, PolicyError, StageError } from '../../src/core/errors.ts';
import { IMAGES } from '../../src/core/images.ts';
import { assertDigestRef } from '../../src/dagger/tools/cosign.ts';
import { signatureTag, signStage } from '../../src/stages/sign.ts';
import type { ExecRecord, Step } from '../support/engine/index.ts';
import { COMMIT, REPO_ROOT, runStage, stageContext, type TempRepo, tempRepo } from './support.ts';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const DIGEST = `sha256:${'b'.repeat(64)}`;
const REF = `localhost:5000/api@${DIGEST}`;
const PEM =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgenerated\n-----END PUBLIC KEY-----\n';
const ENCRYPTED_KEY =
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nsecret-blob\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';

const keyFiles = (steps: Step[]) => {
  const path = [...steps].reverse().find((s) => s.field === 'file')?.args.path;
  if (path === '/keys/cosign.pub') return PEM;
  if (path === '/keys/cosign.key') return ENCRYPTED_KEY;
  return undefined;
};

async function context(config: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  repo = await tempRepo({
    Dockerfile:
      'FROM node:22.11.0-alpine3.20 AS build\nRUN npm ci\nFROM gcr.io/distroless/nodejs22@sha256:' +
      'c'.repeat(64) +
      '\nCOPY --from=build /app /app\n',
  });
  const ctx = stageContext(
    repo,
    { components: [{ name: 'api' }], policy: join(REPO_ROOT, 'policies/default.yaml'), ...config },
    { env },
  );
  await mkdir(join(repo.outDir, 'reports'), { recursive: true });
  await mkdir(join(repo.outDir, 'sbom'), { recursive: true });
  await writeFile(
    join(repo.outDir, 'reports/trivy-image-api.json'),
    '{"SchemaVersion":2,"ArtifactName":"img"}',
  );
  await writeFile(join(repo.outDir, 'sbom/api.cdx.json'), '{"bomFormat":"CycloneDX"}');
  await ctx.manifest.update((m) => {
    m.source = { commit: COMMIT, ref: 'main', dirty: false };
    m.components.api = {
      image: {
        repository: 'localhost:5000/api',
        digest: DIGEST,
        ref: REF,
        sbom: join(repo?.outDir ?? '', 'sbom/api.cdx.json'),
      },
    };
  });
  return ctx;
}

const cosignExecs = (execs: ExecRecord[]) => execs.filter((e) => e.argv[0] === 'cosign');
const secretTargets = (e: ExecRecord | undefined) => e?.secrets.map((s) => `${s.as}:${s.target}`).sort();

describe('sign stage (wire)', () => {
  it('generated mode: makes a key pair for the run, signs by digest and attests SBOM, vuln scan and provenance in order', async () => {
    const ctx = await context();
    const { engine, error, result } = await runStage(signStage, ctx, { files: keyFiles });
    expect(error).toBeUndefined();
    const execs = cosignExecs(engine.execs());
    expect(
      execs.map(
        (e) => e.argv[1] + (e.argv.includes('--type') ? `:${e.argv[e.argv.indexOf('--type') + 1]}` : ''),
      ),
      // The provenance type is the URI, not `slsaprovenance1`: cosign v2.x re-serialises that one and renames
      // invocationId (/work/notes/cosign-slsa-facts.md item 1; cosign v2.6.4 options/predicate.go ParsePredicateType).
    ).toEqual([
      'generate-key-pair',
      'sign',
      'attest:cyclonedx',
      'attest:vuln',
      'attest:https://slsa.dev/provenance/v1',
    ]);
    for (const e of execs) {
      expect(e.image).toBe(IMAGES.cosign);
      expect(Object.keys(e.env)).not.toContain('COSIGN_PASSWORD');
    }
    const [generate, sign] = execs;
    expect(secretTargets(generate)).toEqual(['env:COSIGN_PASSWORD']);
    expect(sign?.argv).toEqual([
      'cosign',
      'sign',
      '--yes',
      '--key',
      '/gantry/cosign.key',
      '--tlog-upload=false',
      '--allow-http-registry',
      '--allow-insecure-registry',
      `registry:5000/api@${DIGEST}`,
    ]);
    expect(secretTargets(sign)).toEqual(['env:COSIGN_PASSWORD', 'file:/gantry/cosign.key']);
    expect(sign?.secrets.find((s) => s.as === 'file')?.secret).toMatch(/^gantry-cosign-key-/);
    expect(sign?.services.map((s) => s.alias)).toEqual(['registry']);
    expect(engine.leaks(ENCRYPTED_KEY)).toEqual([]);
    for (const e of execs.slice(1)) expect(e.argv.at(-1)).toMatch(/@sha256:[a-f0-9]{64}$/);

    const m = ctx.manifest.get();
    expect(m.signingPublicKey).toBe(PEM);
    expect(m.components.api?.signature).toEqual({
      ref: `localhost:5000/api:sha256-${'b'.repeat(64)}.sig`,
      signer: expect.stringMatching(/^generated:[a-f0-9]{16}$/),
      attestations: ['cyclonedx', 'vuln', 'https://slsa.dev/provenance/v1'],
    });
    expect(result?.message).toContain(REF);
    const slsa = JSON.parse(await readFile(join(repo?.outDir ?? '', 'attestations/api.slsa.json'), 'utf8'));
    expect(slsa.buildDefinition.resolvedDependencies).toEqual([
      { uri: `git+file://${repo?.root}@main`, digest: { gitCommit: COMMIT } },
      { uri: 'pkg:docker/gcr.io/distroless/nodejs22', digest: { sha256: 'c'.repeat(64) } },
    ]);
    // The tag-only base image cannot be a ResourceDescriptor with a digest: it is listed, not dropped.
    expect(slsa.buildDefinition.internalParameters.unpinnedBaseImages).toEqual(['node:22.11.0-alpine3.20']);
    expect(slsa.runDetails.builder.id).toBe('https://gantry.dev/builders/local/v1');
    expect(slsa.runDetails.metadata.invocationId).toBe(ctx.manifest.get().runId);
    // provenance.githubAttestation is off by default: no subjects file for actions/attest-build-provenance.
    await expect(readFile(join(repo?.outDir ?? '', 'attest-subjects.txt'), 'utf8')).rejects.toThrow(/ENOENT/);
    const vuln = JSON.parse(await readFile(join(repo?.outDir ?? '', 'attestations/api.vuln.json'), 'utf8'));
    expect(vuln.scanner.result).toEqual({ SchemaVersion: 2, ArtifactName: 'img' });
  });

  it('key mode: key and password only as secrets, uploaded to the transparency log', async () => {
    const ctx = await context({
      signing: {
        mode: 'key',
        key: 'env://COSIGN_KEY',
        password: 'env://COSIGN_PASSWORD',
        publicKey: 'cosign.pub',
      },
      registry: { address: 'ghcr.io/acme', username: 'bot', password: 'env://REGISTRY_TOKEN' },
      provenance: { githubAttestation: true },
    });
    await ctx.manifest.update((m) => {
      m.components.api = {
        image: { repository: 'ghcr.io/acme/api', digest: DIGEST, ref: `ghcr.io/acme/api@${DIGEST}` },
      };
    });
    const { engine, error } = await runStage(signStage, ctx, {
      secrets: { 'env://REGISTRY_TOKEN': 'hunter2' },
    });
    expect(error).toBeUndefined();
    // subject-checksums for actions/attest-build-provenance: `<hex>  <name>` per line, the form actions/attest
    // src/subject.ts getSubjectFromChecksumsString reads (hex digest, space, optional flag, name).
    expect(await readFile(join(repo?.outDir ?? '', 'attest-subjects.txt'), 'utf8')).toBe(
      `${'b'.repeat(64)}  ghcr.io/acme/api\n`,
    );
    const execs = cosignExecs(engine.execs());
    expect(execs.map((e) => e.argv[1])).toEqual(['sign', 'attest', 'attest', 'attest']);
    const sign = execs[0];
    expect(sign?.argv).toEqual([
      'cosign',
      'sign',
      '--yes',
      '--key',
      '/gantry/cosign.key',
      `ghcr.io/acme/api@${DIGEST}`,
    ]);
    expect(sign?.secrets).toEqual(
      expect.arrayContaining([
        { target: '/gantry/cosign.key', as: 'file', secret: 'env://COSIGN_KEY' },
        { target: 'COSIGN_PASSWORD', as: 'env', secret: 'env://COSIGN_PASSWORD' },
        { target: '/gantry/docker/config.json', as: 'file', secret: 'gantry-docker-config-ghcr.io' },
      ]),
    );
    expect(sign?.env.DOCKER_CONFIG).toBe('/gantry/docker');
    expect(engine.leaks('hunter2')).toEqual([]);
    expect(engine.leaks(Buffer.from('bot:hunter2').toString('base64'))).toEqual([]);
    expect(ctx.manifest.get().components.api?.signature?.signer).toBe('key:cosign.pub');
  });

  it('keyless on GitHub: requests the OIDC token on the host with audience=sigstore and passes it as a secret', async () => {
    let seen: { url?: string; auth?: string } = {};
    let issued = 0;
    const server = createServer((req, res) => {
      seen = { url: req.url ?? '', auth: req.headers.authorization ?? '' };
      issued += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"value":"oidc-jwt-${issued}"}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const ctx = await context(
        {
          signing: {
            mode: 'keyless',
            identity: 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main',
            issuer: 'https://token.actions.githubusercontent.com',
          },
        },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
        },
      );
      const { engine, error } = await runStage(signStage, ctx, {});
      expect(error).toBeUndefined();
      expect(new URL(`http://x${seen.url}`).searchParams.get('audience')).toBe('sigstore');
      expect(seen.auth).toBe('bearer req-token');
      const sign = cosignExecs(engine.execs())[0];
      expect(sign?.argv).toEqual([
        'cosign',
        'sign',
        '--yes',
        '--allow-http-registry',
        '--allow-insecure-registry',
        `registry:5000/api@${DIGEST}`,
      ]);
      // A GitHub OIDC token lives ~5 min (exp - iat = 300 s: google-github-actions/auth#474, actions/toolkit#2048;
      // facts §11): one fresh token per cosign call (sign + 3 attestations), each its own secret.
      const tokens = cosignExecs(engine.execs()).map(
        (e) => e.secrets.find((x) => x.target === 'SIGSTORE_ID_TOKEN')?.secret,
      );
      expect(tokens).toHaveLength(4);
      expect(new Set(tokens).size).toBe(4);
      expect(issued).toBe(5); // one when the signer is resolved, then one per call
      for (let i = 1; i <= issued; i += 1) expect(engine.leaks(`oidc-jwt-${i}`)).toEqual([]);
      expect(ctx.manifest.get().components.api?.signature?.signer).toMatch(/^https:\/\/github.com\/acme/);
    } finally {
      server.close();
    }
  });

  it('keyless on GitLab: uses the SIGSTORE_ID_TOKEN id_tokens variable as env://SIGSTORE_ID_TOKEN', async () => {
    const ctx = await context(
      {
        signing: {
          mode: 'keyless',
          identity: 'https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main',
          issuer: 'https://gitlab.com',
        },
      },
      { SIGSTORE_ID_TOKEN: 'gl-jwt' },
    );
    const { engine, error } = await runStage(signStage, ctx, {});
    expect(error).toBeUndefined();
    const sign = cosignExecs(engine.execs())[0];
    expect(sign?.secrets).toEqual([
      { target: 'SIGSTORE_ID_TOKEN', as: 'env', secret: 'env://SIGSTORE_ID_TOKEN' },
    ]);
    expect(engine.leaks('gl-jwt')).toEqual([]);
  });

  it('keyless without any OIDC token fails with a fix, before anything is signed', async () => {
    const ctx = await context({ signing: { mode: 'keyless', identity: 'me', issuer: 'https://gitlab.com' } });
    const { engine, error } = await runStage(signStage, ctx, {});
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).hint).toMatch(/id-token: write/);
    expect(cosignExecs(engine.execs())).toEqual([]);
  });

  it('refuses to run without a published image', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, { components: [{ name: 'api' }] });
    const { error } = await runStage(signStage, ctx, {});
    expect(error).toBeInstanceOf(StageError);
  });
});

describe('digest references', () => {
  it('accepts only repository@sha256 references', () => {
    expect(assertDigestRef(REF)).toBe(REF);
    expect(() => assertDigestRef('localhost:5000/api:latest')).toThrow(PolicyError);
    expect(() => assertDigestRef('localhost:5000/api@sha256:abc')).toThrow(/by digest only/);
  });

  it('names the signature tag cosign stores', () => {
    expect(signatureTag(REF)).toBe(`localhost:5000/api:sha256-${'b'.repeat(64)}.sig`);
  });
});
