import type { PlatformName } from '../platform.ts';
import { githubApproval } from './github.ts';
import { gitlabApproval } from './gitlab.ts';
import { jenkinsApproval } from './jenkins.ts';
import { type LocalApprovalOptions, localApproval } from './local.ts';
import type { ApprovalProvider } from './types.ts';

export { digestsOf, requireApproval, stagingPassed, verifiedHash } from './binding.ts';
export { githubApproval } from './github.ts';
export { gitlabApproval } from './gitlab.ts';
export { checkGivenHash } from './given-hash.ts';
export { jenkinsApproval } from './jenkins.ts';
export {
  type Confirm,
  describe,
  inquirerConfirm,
  type LocalApprovalOptions,
  localApproval,
} from './local.ts';
export type { ApprovalProvider, ApprovalRequest } from './types.ts';

/** The approval provider of a platform. */
export function approvalProvider(platform: PlatformName, local: LocalApprovalOptions = {}): ApprovalProvider {
  switch (platform) {
    case 'github':
      return githubApproval();
    case 'gitlab':
      return gitlabApproval();
    case 'jenkins':
      return jenkinsApproval();
    case 'local':
      return localApproval(local);
  }
}
