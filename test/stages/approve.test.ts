import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localApproval } from '../../src/core/approval/local.ts';
import { APPROVAL_PREDICATE_TYPE, ApprovalPredicate } from '../../src/core/approval/statement.ts';
import { ApprovalError } from '../../src/core/errors.ts';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { contentHash, newManifest } from '../../src/core/manifest/store.ts';
import type { StageContext } from '../../src/runtime/types.ts';
import { approveStage, createApproveStage, onCI } from '../../src/stages/approve.ts';
import { CI_SYSTEMS } from '../support/ci-systems.ts';
import { AttestationRegistry, fullPipelineScenario, PUBLIC_KEY } from '../support/scenarios.ts';
import { COMMIT, liveTree, runStage, stageContext, type TempRepo, tempRepo } from './support.ts';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const DIGEST = `sha256:${'f0'.repeat(32)}`;
const REF = `localhost:5000/hello-api@${DIGEST}`;

function manifest(staging: 'deployed' | 'rolled-back' | 'none' = 'deployed'): RunManifest {
  const m = newManifest({ name: 'local' });
  m.source = { commit: COMMIT, ref: 'main', dirty: false };
  m.components['hello-api'] = { image: { repository: 'localhost:5000/hello-api', digest: DIGEST, ref: REF } };
  m.contentHash = contentHash(m);
  if (staging !== 'none') {
    m.deployments.push({
      environment: 'staging',
      digests: { 'hello-api': REF },
      result: staging,
      at: new Date().toISOString(),
    });
  }
  return m;
}

const RELEASE_PUB =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErelease\n-----END PUBLIC KEY-----\n';
const APPROVAL_PUB =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEapprove\n-----END PUBLIC KEY-----\n';

/** Key-mode signing with a separate approval key (the public keys are files in the repo). */
const KEY_SIGNING = {
  mode: 'key',
  key: 'env://COSIGN_KEY',
  password: 'env://COSIGN_PASSWORD',
  publicKey: 'cosign.pub',
  approval: {
    mode: 'key',
    key: 'env://GANTRY_APPROVAL_KEY',
    password: 'env://GANTRY_APPROVAL_PASSWORD',
    publicKey: 'approval.pub',
  },
};

async function context(
  m: RunManifest,
  env: Record<string, string> = {},
  options = {},
  signing?: Record<string, unknown>,
) {
  repo = await tempRepo({ 'cosign.pub': RELEASE_PUB, 'approval.pub': APPROVAL_PUB });
  const ctx = stageContext(
    repo,
    {
      components: [{ name: 'hello-api' }],
      environments: { staging: {}, production: {} },
      ...(signing ? { signing } : {}),
    },
    { manifest: m, env },
  );
  ctx.options = { isTTY: false, ...options };
  return ctx;
}

/** Runs the approve stage on the wire engine; `registry` collects what cosign attested. */
async function approve(ctx: StageContext, stage = approveStage, registry = new AttestationRegistry()) {
  const run = await runStage(stage, ctx, fullPipelineScenario({ attestations: registry }));
  const attests = run.engine.execs().filter((e) => e.argv[0] === 'cosign' && e.argv[1] === 'attest');
  return { ...run, attests, registry };
}

const GITHUB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/hello-api',
  GITHUB_RUN_ID: '77',
};

describe('approve stage', () => {
  it('without a terminal and without --approve exits 4 and says how to approve', async () => {
    const m = manifest();
    const ctx = await context(m);
    const error = await approveStage(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApprovalError);
    expect(error).toMatchObject({ exitCode: 4, code: 'APPROVAL_NEEDS_TTY' });
    expect((error as ApprovalError).hint).toContain(`--approve ${contentHash(m)}`);
    expect(ctx.manifest.get().approvals).toEqual([]);
  });

  it('records --approve <hash> in the manifest', async () => {
    const m = manifest();
    const ctx = await context(m, { USER: 'ada' }, { approve: contentHash(m) });
    const { result, error, attests, registry } = await approve(ctx);
    expect(error).toBeUndefined();
    expect(result?.message).toMatch(/approved by ada on local/);
    expect(ctx.manifest.get().approvals).toMatchObject([
      { hash: contentHash(m), by: 'ada', platform: 'local', selfApproved: false, environment: 'production' },
    ]);
    // Signed with a key generated for the run (local only), attested by URI type on the digest.
    expect(attests).toHaveLength(1);
    expect(attests[0]?.argv).toEqual(
      expect.arrayContaining([
        '--type',
        APPROVAL_PREDICATE_TYPE,
        '--tlog-upload=false',
        REF.replace('localhost:5000', 'registry:5000'),
      ]),
    );
    expect(ctx.manifest.get().approvalPublicKey).toBe(PUBLIC_KEY);
    const predicate = ApprovalPredicate.parse(registry.stored[0]?.predicate);
    expect(predicate).toMatchObject({
      environment: 'production',
      commit: COMMIT,
      runId: m.runId,
      manifestRunId: m.runId,
      approver: 'ada',
      platform: 'local',
      images: { 'hello-api': REF },
    });
  });

  it('refuses --approve for another hash', async () => {
    const ctx = await context(manifest(), {}, { approve: `sha256:${'1'.repeat(64)}` });
    await expect(approveStage(ctx)).rejects.toMatchObject({ code: 'APPROVAL_HASH_MISMATCH', exitCode: 4 });
  });

  it('records --yes as self-approved locally and refuses it on CI', async () => {
    const local = await context(manifest(), { USER: 'ada' }, { yes: true });
    expect((await approve(local)).error).toBeUndefined();
    expect(local.manifest.get().approvals[0]).toMatchObject({ selfApproved: true });
    const ciEnvs: Record<string, string>[] = [
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' },
      { GITLAB_CI: 'true' },
      { CI: 'true' },
    ];
    for (const env of ciEnvs) {
      const ci = await context(manifest(), env, { yes: true });
      await expect(approveStage(ci)).rejects.toMatchObject({ code: 'YES_ON_CI', exitCode: 4 });
      expect(ci.manifest.get().approvals).toEqual([]);
    }
  });

  it('refuses digests that did not pass staging', async () => {
    for (const staging of ['rolled-back', 'none'] as const) {
      const m = manifest(staging);
      const ctx = await context(m, {}, { approve: contentHash(m) });
      await expect(approveStage(ctx)).rejects.toMatchObject({ code: 'STAGING_NOT_PASSED', exitCode: 4 });
    }
  });

  it('on GitHub signs with the approval key only; spoofed variables never name an approver (GITHUB_ACTOR=ceo)', async () => {
    const ctx = await context(manifest(), { ...GITHUB, GITHUB_ACTOR: 'ceo' }, {}, KEY_SIGNING);
    const { error, attests, registry } = await approve(ctx);
    expect(error).toBeUndefined();
    expect(ctx.manifest.get().approvals).toMatchObject([
      {
        by: 'unknown',
        platform: 'github',
        url: 'https://github.com/acme/hello-api/actions/runs/77',
        runId: '77',
      },
    ]);
    // The approval key and its password reach cosign as secrets; the release key never does.
    expect(attests).toHaveLength(1);
    expect(attests[0]?.secrets.map((x) => x.secret).sort()).toEqual([
      'env://GANTRY_APPROVAL_KEY',
      'env://GANTRY_APPROVAL_PASSWORD',
    ]);
    expect(attests[0]?.argv).not.toContain('--tlog-upload=false');
    expect(ApprovalPredicate.parse(registry.stored[0]?.predicate)).toMatchObject({
      runId: '77',
      platform: 'github',
      approver: 'unknown',
    });
  });

  it('refuses a generated approval key on CI (exit 4) before asking or attesting', async () => {
    const envs: Record<string, string>[] = [
      { ...GITHUB, GITHUB_ACTOR: 'ceo' },
      { GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'grace' },
      { CI: 'true' },
    ];
    for (const env of envs) {
      const ctx = await context(manifest(), env, {});
      const { error, engine } = await approve(ctx);
      expect(error).toMatchObject({ code: 'APPROVAL_GENERATED_ON_CI', exitCode: 4 });
      expect(engine.execs().filter((e) => e.argv[0] === 'cosign')).toEqual([]);
      expect(ctx.manifest.get().approvals).toEqual([]);
    }
  });

  it('refuses an approval key that is the release signing key (same file contents), before attesting', async () => {
    const m = manifest();
    const ctx = await context(m, {}, { approve: contentHash(m) }, KEY_SIGNING);
    await writeFile(join(ctx.repoRoot, 'approval.pub'), `\n${RELEASE_PUB}`);
    const { error, engine } = await approve(ctx);
    expect(error).toMatchObject({ code: 'APPROVAL_KEY_IS_SIGNING_KEY', exitCode: 2 });
    expect(engine.execs().filter((e) => e.argv[0] === 'cosign')).toEqual([]);
    expect(ctx.manifest.get().approvals).toEqual([]);
  });

  it('refuses on another commit or a changed work tree (exit 4), before asking', async () => {
    const m = manifest();
    for (const live of [
      { commit: 'b'.repeat(40), trackedChanges: `sha256:${'0'.repeat(64)}` },
      { commit: COMMIT, trackedChanges: `sha256:${'1'.repeat(64)}` },
    ]) {
      const ctx = await context(m, {}, { approve: contentHash(m) });
      ctx.manifest.get().source = {
        commit: COMMIT,
        ref: 'main',
        dirty: false,
        trackedChanges: `sha256:${'0'.repeat(64)}`,
      };
      liveTree.mockResolvedValue(live);
      const { error, attests } = await approve(ctx);
      expect(error).toMatchObject({ exitCode: 4 });
      expect((error as Error).message).toMatch(/HEAD is b{12}|tracked files differ/);
      expect(attests).toEqual([]);
    }
  });

  it('asks at a terminal, showing the digests to the person approving', async () => {
    const confirm = vi.fn(async () => true);
    const stage = createApproveStage('production', 'staging', { provider: () => localApproval({ confirm }) });
    const ctx = await context(manifest(), { USER: 'ada' }, { isTTY: true });
    expect((await approve(ctx, stage)).error).toBeUndefined();
    expect(confirm).toHaveBeenCalledOnce();
    expect(ctx.logs).toContain(`image hello-api: ${REF}`);
  });

  it('refuses --yes on every CI system ci-info knows (its vendors.json), nothing recorded', async () => {
    expect(CI_SYSTEMS.length).toBeGreaterThan(40);
    for (const { name, env } of CI_SYSTEMS) {
      const ci = await context(manifest(), env, { yes: true });
      await expect(approveStage(ci), name).rejects.toMatchObject({ code: 'YES_ON_CI', exitCode: 4 });
      expect(ci.manifest.get().approvals).toEqual([]);
    }
  });

  it('tells CI from a local run', () => {
    expect(onCI({})).toBe(false);
    expect(onCI({ CI: 'false' })).toBe(false);
    expect(onCI({ CI: 'true' })).toBe(true);
    expect(onCI({ JENKINS_URL: 'https://ci/' })).toBe(true);
  });
});
