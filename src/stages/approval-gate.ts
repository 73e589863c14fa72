/**
 * The two halves of a signed approval, as the approve and deploy stages use them: {@link signApproval}
 * (behind the platform's gate: ask, sign the statement, attach it to each digest) and
 * {@link requireSignedApproval} (before a gated deploy: verify it in the registry, field by field).
 */
import { approvalProvider } from '../core/approval/index.ts';
import { type ApprovalPredicate, platformRunId } from '../core/approval/statement.ts';
import type { ApprovalProvider } from '../core/approval/types.ts';
import { ApprovalError } from '../core/errors.ts';
import type { ApprovalRecord } from '../core/manifest/schema.ts';
import { detectPlatform, type PlatformName } from '../core/platform.ts';
import {
  approvalVerifier,
  attestApproval,
  checkApprovalSigner,
  resolveApprovalSigner,
  verifyApproval,
} from '../dagger/approval.ts';
import type { DeployImage } from '../dagger/drivers/types.ts';
import { registryTarget } from '../dagger/services/registry.ts';
import type { StageContext } from '../runtime/types.ts';

/** Options of {@link signApproval}. */
export interface SignApprovalOptions {
  /** Whether the job runs on a CI system (the stage's own detection). */
  ci: boolean;
  /** The provider of a platform. @default {@link approvalProvider} */
  provider?: (platform: PlatformName) => ApprovalProvider;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** HTTP client for platform APIs (GitHub reviews, OIDC token). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Approves the manifest's digests for `environment`: resolves the approval signer first (refusing a
 * generated key on CI and an approval key that is the release key), asks the platform's provider, then
 * signs the approval statement onto every digest and records a note of it in the manifest.
 */
export async function signApproval(
  ctx: StageContext,
  environment: string,
  hash: string,
  images: DeployImage[],
  options: SignApprovalOptions,
): Promise<ApprovalRecord> {
  const { provider = approvalProvider, now = () => new Date(), fetch: fetcher } = options;
  const manifest = ctx.manifest.get();
  const platform = detectPlatform(ctx.env);
  const keys = {
    env: ctx.env,
    repoRoot: ctx.repoRoot,
    manifest,
    onCI: options.ci,
    ...(fetcher ? { fetch: fetcher } : {}),
  };
  await checkApprovalSigner(ctx.config.signing, keys);
  const record = await provider(platform.name).approve({
    hash,
    manifest,
    env: ctx.env,
    options: ctx.options,
    show: ctx.log,
    signal: ctx.signal,
    now,
    environment,
    fetch: fetcher,
  });
  const commit = manifest.source?.commit;
  if (!commit) {
    throw new ApprovalError(
      'SOURCE_NOT_RECORDED',
      'the run manifest records no commit, so there is nothing to approve',
      {
        hint: 'run the checkout stage (the verify phase) first, and pass its manifest along',
      },
    );
  }
  const predicate: ApprovalPredicate = {
    environment,
    commit,
    runId: platformRunId(platform.name, ctx.env) ?? manifest.runId,
    manifestRunId: manifest.runId,
    approver: record.by,
    platform: platform.name,
    ...(record.url || platform.runUrl ? { runUrl: record.url ?? platform.runUrl } : {}),
    images: Object.fromEntries(images.map((i) => [i.component.name, i.ref])),
    approvedAt: record.at,
    selfApproved: record.selfApproved,
  };
  const signer = await resolveApprovalSigner(ctx.config.signing, keys);
  const attested = await attestApproval(predicate, signer.signer, {
    registry: registryTarget(ctx.config, manifest.runId),
  });
  const note: ApprovalRecord = { ...record, environment, attested };
  await ctx.manifest.update((m) => {
    m.approvals.push(note);
    if (signer.generatedPublicKey) m.approvalPublicKey = signer.generatedPublicKey;
  });
  return note;
}

/** Options of {@link requireSignedApproval}. */
export interface RequireApprovalOptions {
  /** Whether the job runs on a CI system. */
  ci: boolean;
  /**
   * A redeploy of an earlier release (`gantry deploy --release`): the approval must name the environment and
   * the digest; its commit and run are those of the earlier run. @default false
   */
  release?: boolean;
}

/**
 * Verifies in the registry, for every image, a signed approval for `environment` made with the approval key
 * or identity, whose statement names the digest, the manifest's commit, this platform and the deploying
 * job's run id. The manifest's approval records play no part.
 * @throws ApprovalError (exit 4) when any image lacks one.
 */
export async function requireSignedApproval(
  ctx: StageContext,
  environment: string,
  images: DeployImage[],
  options: RequireApprovalOptions,
): Promise<ApprovalPredicate[]> {
  const manifest = ctx.manifest.get();
  const platform = detectPlatform(ctx.env).name;
  const verifier = await approvalVerifier(ctx.config.signing, {
    env: ctx.env,
    repoRoot: ctx.repoRoot,
    manifest,
    onCI: options.ci,
  });
  const registry = registryTarget(ctx.config, manifest.runId);
  const expected = options.release
    ? { environment }
    : {
        environment,
        commit: manifest.source?.commit ?? '(none recorded)',
        platform,
        runId: platformRunId(platform, ctx.env) ?? manifest.runId,
        manifestRunId: manifest.runId,
      };
  return Promise.all(
    images.map((image) => verifyApproval({ ...expected, ref: image.ref }, verifier, { registry })),
  );
}
