import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connection } from '@dagger.io/dagger';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVAL_PREDICATE_TYPE, type ApprovalPredicate } from '../../src/core/approval/statement.ts';
import { ApprovalError, PolicyError, StageError } from '../../src/core/errors.ts';
import { IMAGES } from '../../src/core/images.ts';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { contentHash, newManifest } from '../../src/core/manifest/store.ts';
import { KUBECONFIG_PATH, SMOKE_SCRIPT } from '../../src/dagger/drivers/kubectl.ts';
import { freshId } from '../../src/dagger/fresh.ts';
import { K3S_SERVER_ARGS, READ_KUBECONFIG } from '../../src/dagger/services/k3s.ts';
import type { StageContext, StageFn } from '../../src/runtime/types.ts';
import { createApproveStage } from '../../src/stages/approve.ts';
import { deployProductionStage, deployStagingStage } from '../../src/stages/deploy.ts';
import { type ExecRecord, type ExecRule, startTestEngine, type TestEngine } from '../support/engine/index.ts';
import { AttestationRegistry, fullPipelineScenario, KUBECONFIG, PUBLIC_KEY } from '../support/scenarios.ts';
import { KEY_SIGNING } from '../support/signing.ts';
import { COMMIT, liveTree, REPO_ROOT, stageContext, type TempRepo } from './support.ts';

const DIGEST = `sha256:${'e1'.repeat(32)}`;
const REF = `localhost:5000/hello-api@${DIGEST}`;
const ENVIRONMENTS = {
  staging: { kustomize: 'k8s/overlays/staging' },
  production: { kustomize: 'k8s/overlays/production' },
};

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

/** A manifest after build and sign of hello-api into the embedded registry. */
function released(change: (m: RunManifest) => void = () => {}): RunManifest {
  const m = newManifest({ name: 'local' });
  m.source = { commit: COMMIT, ref: 'main', dirty: false };
  m.components['hello-api'] = {
    image: { repository: 'localhost:5000/hello-api', digest: DIGEST, ref: REF },
    signature: {
      ref: `localhost:5000/hello-api:${DIGEST.replace(':', '-')}.sig`,
      signer: 'generated key',
      attestations: [],
    },
  };
  m.signingPublicKey = PUBLIC_KEY;
  change(m);
  m.contentHash = contentHash(m);
  return m;
}

/** A stage context over the repository itself (examples/hello-api), writing the manifest to a temp dir. */
async function context(
  manifest: RunManifest,
  env: Record<string, string> = {},
  config: Record<string, unknown> = {},
) {
  const outDir = await mkdtemp(join(tmpdir(), 'gantry-deploy-'));
  repo = { root: REPO_ROOT, outDir, cleanup: () => rm(outDir, { recursive: true, force: true }) };
  return stageContext(
    repo,
    {
      components: [{ name: 'hello-api', path: 'examples/hello-api' }],
      environments: ENVIRONMENTS,
      ...config,
    },
    { manifest, env },
  );
}

/** Runs stages one after another in one session (as `gantry run` does). */
async function run(
  stages: StageFn[],
  ctx: StageContext,
  exec: ExecRule[] = [],
  attestations = new AttestationRegistry(),
) {
  // DIGEST is what `released()` records as signed by the release job
  const engine: TestEngine = await startTestEngine(
    fullPipelineScenario({ exec, attestations, signed: [DIGEST] }),
  );
  const results: unknown[] = [];
  let error: unknown;
  try {
    await engine.run(() =>
      connection(async () => {
        for (const stage of stages) results.push(await stage(ctx));
      }),
    );
  } catch (caught) {
    error = caught;
  } finally {
    await engine.close();
  }
  return { engine, results, error, execs: engine.execs() };
}

const index = (execs: ExecRecord[], start: string) =>
  execs.findIndex((e) => e.argv.join(' ').startsWith(start));

describe('deploy-staging (wire)', () => {
  it('verifies the signature, then deploys the digest to the embedded k3s and records the deployment', async () => {
    const ctx = await context(released());
    const { execs, error, results, engine } = await run([deployStagingStage], ctx);
    expect(error).toBeUndefined();
    expect(results[0]).toEqual({ message: `${REF} → hello-api-staging` });
    const verify = index(execs, 'cosign verify');
    const apply = index(execs, 'kubectl apply');
    expect(verify).toBeGreaterThanOrEqual(0);
    expect(apply).toBeGreaterThan(verify);
    expect(execs[verify]?.argv.at(-1)).toBe(`registry:5000/hello-api@${DIGEST}`);
    // The kubeconfig comes from the k3s service's container and reaches kubectl only as a secret.
    const read = execs.find(
      (e) => e.argv === READ_KUBECONFIG || e.argv.join(' ') === READ_KUBECONFIG.join(' '),
    );
    expect(read?.image).toBe(IMAGES.k3s);
    expect(read?.services.map((s) => s.alias)).toEqual(['k3s']);
    const server = read?.services[0]?.source.find((s) => s.field === 'asService');
    expect(server?.args).toMatchObject({ useEntrypoint: true, insecureRootCapabilities: true });
    expect(server?.args.args).toEqual(K3S_SERVER_ARGS);
    expect(execs[apply]?.secrets).toEqual([
      {
        target: KUBECONFIG_PATH,
        as: 'file',
        secret: `gantry-k3s-kubeconfig-${freshId(ctx.manifest.get().runId)}`,
      },
    ]);
    expect(execs[apply]?.services.map((s) => s.alias)).toEqual(['k3s']);
    expect(engine.leaks(KUBECONFIG)).toEqual([]);
    const [deployment] = ctx.manifest.get().deployments;
    expect(deployment).toMatchObject({
      environment: 'staging',
      digests: { 'hello-api': REF },
      result: 'deployed',
      driver: 'kubernetes',
      target: 'hello-api-staging',
      contentHash: contentHash(ctx.manifest.get()),
    });
  });

  it('applies an overlay outside the component folder from the repository part holding both', async () => {
    // The component is examples/hello-api/src; its overlay is ../k8s/overlays/staging from there.
    const ctx = await context(
      released(),
      {},
      {
        components: [{ name: 'hello-api', path: 'examples/hello-api/src' }],
        environments: { staging: { kustomize: '../k8s/overlays/staging' } },
      },
    );
    const { error, execs } = await run([deployStagingStage], ctx, [{ argv: SMOKE_SCRIPT, stdout: '200' }]);
    expect(error).toBeUndefined();
    const apply = execs[index(execs, 'kubectl apply')];
    expect(apply?.argv).toEqual(['kubectl', 'apply', '-k', 'k8s/overlays/staging']);
    const copy = apply?.copies.find((c) => c.path === '/work');
    expect(copy?.source.find((s) => s.field === 'directory')?.args.path).toBe(
      join(REPO_ROOT, 'examples/hello-api'),
    );
  });

  it('refuses an unsigned image (exit 3) before touching the cluster', async () => {
    const ctx = await context(released((m) => delete m.components['hello-api']?.signature));
    const { error, execs } = await run([deployStagingStage], ctx);
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ code: 'IMAGE_UNSIGNED', exitCode: 3 });
    expect(execs).toEqual([]);
  });

  it('refuses an image from a registry that is not allowed', async () => {
    const other = `docker.io/someone/hello-api@${DIGEST}`;
    const ctx = await context(
      released((m) => {
        const c = m.components['hello-api'];
        if (c?.image) c.image = { repository: 'docker.io/someone/hello-api', digest: DIGEST, ref: other };
      }),
    );
    const { error, execs } = await run([deployStagingStage], ctx);
    expect(error).toMatchObject({ code: 'REGISTRY_NOT_ALLOWED', exitCode: 3 });
    expect(execs).toEqual([]);
  });

  it('rolls back a failed rollout, records it, and fails the stage', async () => {
    const ctx = await context(released());
    const { error, execs } = await run([deployStagingStage], ctx, [
      {
        argv: /^kubectl rollout status/,
        exitCode: 1,
        stderr: 'error: deployment "hello-api" exceeded its progress deadline',
      },
    ]);
    expect(error).toBeInstanceOf(StageError);
    expect(error).toMatchObject({ code: 'DEPLOY_ROLLED_BACK', exitCode: 1 });
    expect(index(execs, 'kubectl rollout undo deployment/hello-api -n hello-api-staging')).toBeGreaterThan(
      index(execs, 'kubectl rollout status'),
    );
    expect(ctx.manifest.get().deployments).toMatchObject([
      { environment: 'staging', result: 'rolled-back', message: expect.stringMatching(/progress deadline/) },
    ]);
  });

  it('rolls back when the smoke check fails', async () => {
    const ctx = await context(released());
    const { error, execs } = await run([deployStagingStage], ctx, [{ argv: SMOKE_SCRIPT, stdout: '502' }]);
    expect(error).toMatchObject({ code: 'DEPLOY_ROLLED_BACK' });
    expect(index(execs, 'kubectl rollout undo')).toBeGreaterThan(-1);
  });
});

/** An approval statement of the manifest's digests, as the approve stage attests it. */
function statement(m: RunManifest, change: Partial<ApprovalPredicate> = {}) {
  const predicate: ApprovalPredicate = {
    environment: 'production',
    commit: COMMIT,
    runId: m.runId,
    manifestRunId: m.runId,
    approver: 'ada',
    platform: 'local',
    images: { 'hello-api': REF },
    approvedAt: '2025-01-02T05:00:00.000Z',
    selfApproved: false,
    ...change,
  };
  return { type: APPROVAL_PREDICATE_TYPE, digest: DIGEST, predicate, signer: 'key' as const };
}

describe('deploy-production (wire)', () => {
  it('refuses without an approval (exit 4), before verifying or deploying', async () => {
    const ctx = await context(released());
    const { error, execs } = await run([deployProductionStage], ctx);
    expect(error).toBeInstanceOf(ApprovalError);
    expect(error).toMatchObject({ code: 'APPROVAL_MISSING', exitCode: 4 });
    expect(execs).toEqual([]);
  });

  it('a forged approval (a manifest record with the recomputed hash) is not proof: exit 4, nothing deployed', async () => {
    const forged = released((m) => {
      m.approvalPublicKey = PUBLIC_KEY;
    });
    forged.approvals.push({
      hash: contentHash(forged),
      by: 'release-manager',
      at: new Date().toISOString(),
      platform: 'github',
      selfApproved: false,
    });
    const ctx = await context(forged);
    const { error, execs } = await run([deployProductionStage], ctx);
    expect(error).toMatchObject({ code: 'APPROVAL_NOT_VERIFIED', exitCode: 4 });
    // cosign was asked for the approval attestation by its exact type, and nothing reached the cluster.
    const asked = execs.find((e) => e.argv[1] === 'verify-attestation');
    expect(asked?.argv).toEqual(expect.arrayContaining(['--type', APPROVAL_PREDICATE_TYPE]));
    expect(index(execs, 'kubectl')).toBe(-1);
  });

  it('refuses (exit 4) when the signature does not verify, without deploying', async () => {
    const approved = released((m) => {
      m.approvalPublicKey = PUBLIC_KEY;
    });
    const registry = new AttestationRegistry();
    registry.stored.push(statement(approved));
    const ctx = await context(approved);
    const { error, execs } = await run(
      [deployProductionStage],
      ctx,
      [{ argv: /^cosign verify /, exitCode: 1, stderr: 'Error: no matching signatures' }],
      registry,
    );
    expect(error).toBeInstanceOf(ApprovalError);
    expect(error).toMatchObject({ code: 'SIGNATURE_NOT_VERIFIED', exitCode: 4 });
    expect((error as Error).message).toMatch(/no matching signatures/);
    expect(index(execs, 'kubectl')).toBe(-1);
  });

  it('on CI, checks the signed approval field by field against this job: replay, other environment, commit or platform refused', async () => {
    const KEYS = {
      signing: KEY_SIGNING,
    };
    const env = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'ceo' };
    const m = released();
    const attempt = async (change: Partial<ApprovalPredicate>) => {
      const registry = new AttestationRegistry();
      registry.stored.push(statement(m, { platform: 'github', runId: '42', ...change }));
      const ctx = await context(structuredClone(m), env, KEYS);
      return run([deployProductionStage], ctx, [], registry);
    };
    for (const change of [
      { runId: '41' }, // replay of the approval of another workflow run with the same digests
      { manifestRunId: 'another-run' },
      { environment: 'staging' },
      { commit: 'b'.repeat(40) },
      { platform: 'local' as const },
      { images: { 'hello-api': `localhost:5000/hello-api@sha256:${'9'.repeat(64)}` } },
    ]) {
      const { error, execs } = await attempt(change);
      expect(error, JSON.stringify(change)).toMatchObject({ code: 'APPROVAL_MISMATCH', exitCode: 4 });
      expect(index(execs, 'kubectl')).toBe(-1);
    }
    // The same statement for this run deploys: verified with the approval public key, not the release key.
    const { error, execs } = await attempt({});
    expect(error).toBeUndefined();
    const verified = execs.find((e) => e.argv[1] === 'verify-attestation');
    expect(verified?.argv).not.toContain('--insecure-ignore-tlog=true');
    const key = verified?.mounts.find((x) => x.path === '/gantry/cosign.pub')?.source;
    expect(JSON.stringify(key)).toContain('approval.pub');
    expect(index(execs, 'kubectl apply')).toBeGreaterThan(-1);
  });

  it('refuses another commit or changed tracked files at promote (exit 4) before any cosign or kubectl call', async () => {
    for (const live of [
      { commit: 'b'.repeat(40), trackedChanges: `sha256:${'0'.repeat(64)}` },
      { commit: COMMIT, trackedChanges: `sha256:${'1'.repeat(64)}` },
    ]) {
      liveTree.mockResolvedValue(live);
      const ctx = await context(
        released((m) => {
          if (m.source) m.source.trackedChanges = `sha256:${'0'.repeat(64)}`;
        }),
      );
      const { error, execs } = await run([deployProductionStage], ctx);
      expect(error).toMatchObject({ exitCode: 4 });
      expect(['SOURCE_COMMIT_CHANGED', 'SOURCE_TREE_CHANGED']).toContain((error as ApprovalError).code);
      expect(execs).toEqual([]);
    }
  });

  it('deploys without approval only when disabled explicitly, with a warning in the summary', async () => {
    const ctx = await context(
      released(),
      {},
      {
        environments: { ...ENVIRONMENTS, production: { ...ENVIRONMENTS.production, approval: false } },
      },
    );
    const { error, results } = await run([deployProductionStage], ctx);
    expect(error).toBeUndefined();
    expect((results[0] as { message: string }).message).toMatch(/WARNING: deployed without approval/);
  });
});

describe('local pipeline: staging → approval → production (wire)', () => {
  it('deploys staging, records a non-interactive approval of the hash, then deploys the same digest to production', async () => {
    const manifest = released();
    const ctx = await context(manifest);
    const hash = contentHash(manifest);
    ctx.options = { isTTY: false, approve: hash };
    const approve = createApproveStage('production', 'staging', {
      now: () => new Date('2025-01-02T05:00:00Z'),
    });
    const { error, execs } = await run([deployStagingStage, approve, deployProductionStage], ctx);
    expect(error).toBeUndefined();
    const final = ctx.manifest.get();
    expect(final.approvals).toMatchObject([{ hash, platform: 'local', selfApproved: false }]);
    expect(final.deployments.map((d) => [d.environment, d.result, d.digests['hello-api'], d.target])).toEqual(
      [
        ['staging', 'deployed', REF, 'hello-api-staging'],
        ['production', 'deployed', REF, 'hello-api-production'],
      ],
    );
    // One embedded cluster for the run; the same digest applied to both namespaces, never rebuilt or re-tagged.
    expect(execs.filter((e) => e.argv.join(' ') === READ_KUBECONFIG.join(' '))).toHaveLength(1);
    const applied = execs.filter((e) => e.argv[1] === 'apply');
    expect(applied.map((e) => e.steps.find((s) => s.field === 'withNewFile')?.args.contents)).toEqual([
      expect.stringContaining(`digest: ${DIGEST}`),
      expect.stringContaining(`digest: ${DIGEST}`),
    ]);
    expect(execs.some((e) => /docker|build|publish|tag/.test(e.argv[1] ?? ''))).toBe(false);
  });
});
