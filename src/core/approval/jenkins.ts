import { ApprovalError } from '../errors.ts';
import { checkGivenHash } from './given-hash.ts';
import type { ApprovalProvider } from './types.ts';

/**
 * Jenkins: the `input` step (with `submitter` and `submitterParameter`) stops the build until an allowed
 * user approves; the wrapper passes the id it sets as `GANTRY_APPROVER`. Records it with `BUILD_URL`.
 */
export function jenkinsApproval(): ApprovalProvider {
  return {
    platform: 'jenkins',
    async approve({ hash, env, options, now = () => new Date() }) {
      checkGivenHash(options.approve, hash);
      const by = env.GANTRY_APPROVER;
      if (!by) {
        throw new ApprovalError(
          'APPROVER_UNKNOWN',
          'GANTRY_APPROVER is not set, so the approver is unknown',
          {
            hint: 'approve in an `input` step with submitterParameter \'APPROVER\' and run GANTRY_APPROVER="$APPROVER" gantry run --phase approve',
          },
        );
      }
      const runId = env.BUILD_TAG ?? env.BUILD_NUMBER;
      return {
        hash,
        by,
        at: now().toISOString(),
        platform: 'jenkins',
        ...(env.BUILD_URL ? { url: env.BUILD_URL } : {}),
        ...(runId ? { runId } : {}),
        selfApproved: false,
      };
    },
  };
}
