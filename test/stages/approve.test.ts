import { afterEach, describe, expect, it, vi } from 'vitest';
import { localApproval } from '../../src/core/approval/local.ts';
import { ApprovalError } from '../../src/core/errors.ts';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { contentHash, newManifest } from '../../src/core/manifest/store.ts';
import { approveStage, createApproveStage, onCI } from '../../src/stages/approve.ts';
import { CI_SYSTEMS } from '../support/ci-systems.ts';
import { COMMIT, stageContext, type TempRepo, tempRepo } from './support.ts';

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

async function context(m: RunManifest, env: Record<string, string> = {}, options = {}) {
  repo = await tempRepo();
  const ctx = stageContext(
    repo,
    { components: [{ name: 'hello-api' }], environments: { staging: {}, production: {} } },
    { manifest: m, env },
  );
  ctx.options = { isTTY: false, ...options };
  return ctx;
}

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
    const result = await approveStage(ctx);
    expect(result?.message).toMatch(/approved by ada on local/);
    expect(ctx.manifest.get().approvals).toMatchObject([
      { hash: contentHash(m), by: 'ada', platform: 'local', selfApproved: false },
    ]);
  });

  it('refuses --approve for another hash', async () => {
    const ctx = await context(manifest(), {}, { approve: `sha256:${'1'.repeat(64)}` });
    await expect(approveStage(ctx)).rejects.toMatchObject({ code: 'APPROVAL_HASH_MISMATCH', exitCode: 4 });
  });

  it('records --yes as self-approved locally and refuses it on CI', async () => {
    const local = await context(manifest(), { USER: 'ada' }, { yes: true });
    await approveStage(local);
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

  it('uses the platform provider on CI: GitHub records the actor and run URL', async () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/hello-api',
      GITHUB_RUN_ID: '77',
    };
    const ctx = await context(manifest(), env);
    await approveStage(ctx);
    expect(ctx.manifest.get().approvals).toMatchObject([
      {
        by: 'octocat',
        platform: 'github',
        url: 'https://github.com/acme/hello-api/actions/runs/77',
        runId: '77',
      },
    ]);
  });

  it('asks at a terminal, showing the digests to the person approving', async () => {
    const confirm = vi.fn(async () => true);
    const stage = createApproveStage('production', 'staging', { provider: () => localApproval({ confirm }) });
    const ctx = await context(manifest(), { USER: 'ada' }, { isTTY: true });
    await stage(ctx);
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
