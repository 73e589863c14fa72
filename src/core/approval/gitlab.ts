import { ApprovalError } from '../errors.ts';
import { checkGivenHash } from './given-hash.ts';
import type { ApprovalProvider } from './types.ts';

/**
 * GitLab CI: the approve job is `when: manual` in a protected environment, so the user who started it
 * (`GITLAB_USER_LOGIN`) is the approver. Records the pipeline id and URL and the job URL.
 */
export function gitlabApproval(): ApprovalProvider {
  return {
    platform: 'gitlab',
    async approve({ hash, env, options, now = () => new Date() }) {
      checkGivenHash(options.approve, hash);
      const by = env.GITLAB_USER_LOGIN;
      if (!by) {
        throw new ApprovalError(
          'APPROVER_UNKNOWN',
          'GITLAB_USER_LOGIN is not set, so the approver is unknown',
          {
            hint: 'run the approve phase as a `when: manual` job in a protected environment',
          },
        );
      }
      return {
        hash,
        by,
        at: now().toISOString(),
        platform: 'gitlab',
        ...(env.CI_PIPELINE_URL ? { url: env.CI_PIPELINE_URL } : {}),
        ...(env.CI_PIPELINE_ID ? { runId: env.CI_PIPELINE_ID } : {}),
        ...(env.CI_JOB_URL ? { jobUrl: env.CI_JOB_URL } : {}),
        selfApproved: false,
      };
    },
  };
}
