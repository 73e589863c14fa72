import { stagingPassed, verifiedHash } from '../core/approval/binding.ts';
import { approvalProvider } from '../core/approval/index.ts';
import type { ApprovalProvider } from '../core/approval/types.ts';
import { deployImages } from '../core/deploy/policy.ts';
import { ApprovalError } from '../core/errors.ts';
import { detectPlatform, isCI, type PlatformName } from '../core/platform.ts';
import type { StageFn } from '../runtime/types.ts';
import { signApproval } from './approval-gate.ts';
import { requireReleaseSource } from './source-guard.ts';

/** Options of {@link createApproveStage}. */
export interface ApproveStageOptions {
  /** The provider of a platform. @default {@link approvalProvider} */
  provider?: (platform: PlatformName) => ApprovalProvider;
  /** The clock. @default () => new Date() */
  now?: () => Date;
}

/** True on any CI system ci-info knows, or where a generic CI variable is set ({@link isCI}). */
export function onCI(env: Readonly<Record<string, string | undefined>>): boolean {
  return isCI(env);
}

/**
 * Makes the approve stage: binds an approval to the manifest's recomputed content hash (commit + digests) once those
 * digests passed staging, through the platform's provider (local prompt or `--approve`, GitHub, GitLab,
 * Jenkins), and records who, when, where and which hash in the manifest. `--yes` is refused on CI.
 */
export function createApproveStage(
  environment = 'production',
  previous: string | undefined = 'staging',
  options: ApproveStageOptions = {},
): StageFn {
  const { provider = approvalProvider, now = () => new Date() } = options;
  return async (ctx) => {
    const manifest = ctx.manifest.get();
    const hash = verifiedHash(manifest);
    const images = deployImages(ctx.config, manifest);
    await requireReleaseSource(ctx, `approve-${environment}`, 'approval');
    const platform = detectPlatform(ctx.env).name;
    if (ctx.options.yes && onCI(ctx.env)) {
      throw new ApprovalError('YES_ON_CI', '--yes (self-approval) is refused on CI', {
        hint: `approve through ${platform === 'local' ? 'the CI system' : platform}'s own approval (protected environment, manual job or input step), or pass --approve ${hash}`,
      });
    }
    if (previous !== undefined && !stagingPassed(manifest, hash, previous)) {
      throw new ApprovalError(
        'STAGING_NOT_PASSED',
        `the digests of ${hash} have not been deployed to ${previous} successfully`,
        {
          hint: `run deploy-${previous} for this manifest first (gantry run --until deploy-${previous})`,
        },
      );
    }
    const record = await signApproval(ctx, environment, hash, images, { ci: onCI(ctx.env), provider, now });
    return {
      message: `${hash.slice(0, 19)}… approved by ${record.by} on ${record.platform}${record.selfApproved ? ' (self-approved, --yes)' : ''}; signed approval attached to ${record.attested?.length ?? 0} digest(s)`,
    };
  };
}

/** The approve stage of production (after staging), with the platform providers. */
export const approveStage: StageFn = createApproveStage();
