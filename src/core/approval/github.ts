import { ApprovalError } from '../errors.ts';
import { checkGivenHash } from './given-hash.ts';
import type { ApprovalProvider } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** One entry of `GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals` (`environment-approvals`). */
interface EnvironmentApproval {
  environments?: { name?: string }[];
  state?: 'approved' | 'rejected' | 'pending';
  user?: { login?: string };
}

/** What the run's review history says about `environment`. */
export type GithubReview =
  | { kind: 'approved'; reviewers: string[] }
  | { kind: 'not-reviewed' }
  | { kind: 'unavailable'; why: string };

/**
 * The reviewers who approved `environment` in this workflow run, from GitHub's review history
 * (`GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`, operation `actions/get-reviews-for-run`;
 * facts §7). The token is read from `GITHUB_TOKEN` here only, sent only in the Authorization header, and
 * never logged or put in an error. `unavailable` when there is no token or the API does not answer.
 */
export async function githubReview(
  env: Env,
  environment: string,
  fetcher: typeof fetch = fetch,
): Promise<GithubReview> {
  const token = env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runId = env.GITHUB_RUN_ID ?? '';
  const api = env.GITHUB_API_URL || 'https://api.github.com';
  if (!token) return { kind: 'unavailable', why: 'GITHUB_TOKEN is not set' };
  if (
    !/^[\w.-]+\/[\w.-]+$/.test(repository) ||
    !/^\d+$/.test(runId) ||
    !/^https:\/\/[^/@\s]+(\/[\w./-]*)?$/.test(api)
  ) {
    return { kind: 'unavailable', why: 'GITHUB_REPOSITORY, GITHUB_RUN_ID or GITHUB_API_URL is not valid' };
  }
  let body: unknown;
  try {
    const response = await fetcher(
      `${api.replace(/\/$/, '')}/repos/${repository}/actions/runs/${runId}/approvals`,
      {
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'x-github-api-version': '2022-11-28',
        },
      },
    );
    if (!response.ok)
      return { kind: 'unavailable', why: `the approvals API answered HTTP ${response.status}` };
    body = await response.json();
  } catch {
    return { kind: 'unavailable', why: 'the approvals API could not be reached' };
  }
  if (!Array.isArray(body)) return { kind: 'unavailable', why: 'the approvals API answered no list' };
  const wanted = environment.toLowerCase();
  const reviewers = (body as EnvironmentApproval[])
    .filter((a) => a.state === 'approved' && a.environments?.some((e) => e.name?.toLowerCase() === wanted))
    .flatMap((a) => (a.user?.login ? [a.user.login] : []));
  return reviewers.length > 0
    ? { kind: 'approved', reviewers: [...new Set(reviewers)] }
    : { kind: 'not-reviewed' };
}

/**
 * GitHub Actions: the approve job runs in a protected environment whose required reviewers are the gate.
 * The approver is the reviewer from the run's review history, or `unknown` when the API cannot be read;
 * never `GITHUB_ACTOR` (who triggered the run). When the history answers and holds no approval of this
 * environment, the environment has no required reviewers: refused (exit 4).
 */
export function githubApproval(): ApprovalProvider {
  return {
    platform: 'github',
    async approve({ hash, env, options, environment, fetch: fetcher, show, now = () => new Date() }) {
      checkGivenHash(options.approve, hash);
      const review = await githubReview(env, environment, fetcher);
      if (review.kind === 'not-reviewed') {
        throw new ApprovalError(
          'APPROVAL_NOT_REVIEWED',
          `this workflow run has no approved review of the GitHub environment "${environment}"`,
          {
            hint: `run the approve job with environment: ${environment}, a GitHub environment with required reviewers`,
          },
        );
      }
      if (review.kind === 'unavailable')
        show(`approver unknown: ${review.why} (give the job GITHUB_TOKEN and actions: read)`);
      const by = review.kind === 'approved' ? review.reviewers.join(', ') : 'unknown';
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
