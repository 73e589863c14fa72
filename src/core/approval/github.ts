import { ApprovalError } from '../errors.ts';
import { checkGivenHash } from './given-hash.ts';
import type { ApprovalProvider } from './types.ts';

/**
 * GitHub Actions: the approve job runs in a protected environment, so reaching it means the environment's
 * reviewers approved. Records the actor (`GITHUB_TRIGGERING_ACTOR`, else `GITHUB_ACTOR`), the run id and URL.
 */
export function githubApproval(): ApprovalProvider {
  return {
    platform: 'github',
    async approve({ hash, env, options, now = () => new Date() }) {
      checkGivenHash(options.approve, hash);
      const by = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR;
      if (!by) {
        throw new ApprovalError('APPROVER_UNKNOWN', 'GITHUB_ACTOR is not set, so the approver is unknown', {
          hint: 'run the approve phase as a GitHub Actions job in a protected environment with required reviewers',
        });
      }
      const runId = env.GITHUB_RUN_ID;
      const url =
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && runId
          ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${runId}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
          : undefined;
      return {
        hash,
        by,
        at: now().toISOString(),
        platform: 'github',
        ...(url ? { url } : {}),
        ...(runId ? { runId } : {}),
        selfApproved: false,
      };
    },
  };
}
