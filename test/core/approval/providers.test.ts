import { describe, expect, it, vi } from 'vitest';
import { approvalProvider, localApproval } from '../../../src/core/approval/index.ts';
import type { ApprovalRequest } from '../../../src/core/approval/types.ts';
import { ApprovalError } from '../../../src/core/errors.ts';
import { ApprovalRecord } from '../../../src/core/manifest/schema.ts';
import { contentHash } from '../../../src/core/manifest/store.ts';
import { releasedManifest } from './helpers.ts';

const now = () => new Date('2025-01-02T05:00:00Z');

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest & { shown: string[] } {
  const manifest = releasedManifest();
  const shown: string[] = [];
  return {
    hash: contentHash(manifest),
    manifest,
    env: { USER: 'ada' },
    options: { isTTY: false },
    show: (line) => shown.push(line),
    now,
    environment: 'production',
    shown,
    ...overrides,
  };
}

describe('local approval', () => {
  it('without a terminal and without --approve exits 4 saying which hash to approve', async () => {
    const req = request();
    const error = await localApproval({ confirm: vi.fn() })
      .approve(req)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApprovalError);
    expect(error).toMatchObject({ exitCode: 4, code: 'APPROVAL_NEEDS_TTY' });
    expect((error as ApprovalError).hint).toContain(`--approve ${req.hash}`);
  });

  it('accepts --approve with the current hash and refuses another one', async () => {
    const req = request();
    const record = await localApproval().approve({ ...req, options: { isTTY: false, approve: req.hash } });
    expect(ApprovalRecord.parse(record)).toEqual({
      hash: req.hash,
      by: 'ada',
      at: '2025-01-02T05:00:00.000Z',
      platform: 'local',
      selfApproved: false,
    });
    const other = contentHash(releasedManifest('cd'));
    await expect(
      localApproval().approve({ ...req, options: { isTTY: false, approve: other } }),
    ).rejects.toMatchObject({ code: 'APPROVAL_HASH_MISMATCH', exitCode: 4 });
  });

  it('records --yes as self-approved', async () => {
    const record = await localApproval().approve(request({ options: { isTTY: false, yes: true } }));
    expect(record).toMatchObject({ selfApproved: true, by: 'ada', platform: 'local' });
  });

  it('prompts on a terminal after showing digests, scan verdict and staging result', async () => {
    const req = request({ options: { isTTY: true } });
    const confirm = vi.fn(async () => true);
    const record = await localApproval({ confirm }).approve(req);
    expect(record.hash).toBe(req.hash);
    expect(confirm).toHaveBeenCalledOnce();
    const ref = req.manifest.components['hello-api']?.image?.ref;
    expect(req.shown).toContain(`image hello-api: ${ref}`);
    expect(req.shown).toContain('source scan: passed');
    expect(req.shown.some((l) => l.startsWith('staging: deployed 2025-01-02T03:10:00'))).toBe(true);
    expect(req.shown).toContain(`manifest content hash: ${req.hash}`);
  });

  it('a "no" at the prompt is a refusal (exit 4)', async () => {
    const confirm = vi.fn(async () => false);
    await expect(
      localApproval({ confirm }).approve(request({ options: { isTTY: true } })),
    ).rejects.toMatchObject({ code: 'APPROVAL_REFUSED', exitCode: 4 });
  });
});

// Variables as each platform sets them in a real job (names from the platforms' documentation).
const GITHUB_JOB = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'release-manager',
  GITHUB_REPOSITORY: 'acme/hello-api',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKFLOW: 'gantry',
  GITHUB_REF_NAME: 'main',
};
const GITLAB_JOB = {
  CI: 'true',
  GITLAB_CI: 'true',
  GITLAB_USER_LOGIN: 'grace',
  GITLAB_USER_NAME: 'Grace Hopper',
  CI_PIPELINE_ID: '1234567',
  CI_PIPELINE_URL: 'https://gitlab.com/acme/hello-api/-/pipelines/1234567',
  CI_JOB_ID: '7654321',
  CI_JOB_URL: 'https://gitlab.com/acme/hello-api/-/jobs/7654321',
  CI_ENVIRONMENT_NAME: 'production',
};
const JENKINS_JOB = {
  JENKINS_URL: 'https://ci.acme.example/',
  JENKINS_HOME: '/var/jenkins_home',
  BUILD_NUMBER: '42',
  BUILD_TAG: 'jenkins-hello-api-main-42',
  BUILD_URL: 'https://ci.acme.example/job/hello-api/job/main/42/',
  JOB_NAME: 'hello-api/main',
  GANTRY_APPROVER: 'linus',
};

describe('CI platform approvals', () => {
  it("GitHub: the approver is the reviewer from the run's review history, never GITHUB_ACTOR", async () => {
    // GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals, `environment-approvals` items
    // (@octokit/openapi-types 29.0.1; /work/notes/cosign-slsa-facts.md §7).
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const api = (body: unknown, status = 200) =>
      vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
        calls.push({ url: String(url), headers: init?.headers as Record<string, string> });
        return new Response(JSON.stringify(body), { status });
      }) as unknown as typeof fetch;
    const reviews = [
      { state: 'rejected', environments: [{ name: 'production' }], user: { login: 'mallory' } },
      { state: 'approved', environments: [{ name: 'staging' }], user: { login: 'stage-lead' } },
      { state: 'approved', environments: [{ name: 'Production' }], user: { login: 'release-lead' } },
    ];
    const env = { ...GITHUB_JOB, GITHUB_TOKEN: 'ghs_canary_token' };
    const req = request({ env, fetch: api(reviews) });
    const record = ApprovalRecord.parse(await approvalProvider('github').approve(req));
    expect(record).toEqual({
      hash: req.hash,
      by: 'release-lead',
      at: '2025-01-02T05:00:00.000Z',
      platform: 'github',
      url: 'https://github.com/acme/hello-api/actions/runs/9876543210/attempts/2',
      runId: '9876543210',
      selfApproved: false,
    });
    expect(calls[0]?.url).toBe(
      'https://api.github.com/repos/acme/hello-api/actions/runs/9876543210/approvals',
    );
    expect(calls[0]?.headers.authorization).toBe('Bearer ghs_canary_token');
    expect(req.shown.join('\n')).not.toContain('ghs_canary_token');

    // No token: the approver is unknown, not the actor who triggered the run.
    const unknown = await approvalProvider('github').approve(request({ env: GITHUB_JOB }));
    expect(unknown.by).toBe('unknown');
    // The history answers, but nobody approved production: no protected environment, refused.
    await expect(
      approvalProvider('github').approve(request({ env, fetch: api(reviews.slice(0, 2)) })),
    ).rejects.toMatchObject({ code: 'APPROVAL_NOT_REVIEWED', exitCode: 4 });
    // An API error is not an approval either way: unknown.
    expect((await approvalProvider('github').approve(request({ env, fetch: api({}, 403) }))).by).toBe(
      'unknown',
    );
  });

  it('GitLab: records GITLAB_USER_LOGIN, the pipeline and the job URL', async () => {
    const req = request({ env: GITLAB_JOB });
    expect(ApprovalRecord.parse(await approvalProvider('gitlab').approve(req))).toEqual({
      hash: req.hash,
      by: 'grace',
      at: '2025-01-02T05:00:00.000Z',
      platform: 'gitlab',
      url: GITLAB_JOB.CI_PIPELINE_URL,
      runId: '1234567',
      jobUrl: GITLAB_JOB.CI_JOB_URL,
      selfApproved: false,
    });
  });

  it('Jenkins: records the submitter the input step set as GANTRY_APPROVER, and the build URL', async () => {
    const req = request({ env: JENKINS_JOB });
    expect(ApprovalRecord.parse(await approvalProvider('jenkins').approve(req))).toEqual({
      hash: req.hash,
      by: 'linus',
      at: '2025-01-02T05:00:00.000Z',
      platform: 'jenkins',
      url: JENKINS_JOB.BUILD_URL,
      runId: 'jenkins-hello-api-main-42',
      selfApproved: false,
    });
  });

  it.each([
    ['gitlab', GITLAB_JOB, ['GITLAB_USER_LOGIN']],
    ['jenkins', JENKINS_JOB, ['GANTRY_APPROVER']],
  ] as const)('%s: refuses (exit 4) when the approver variable is missing', async (platform, env, names) => {
    const without = Object.fromEntries(
      Object.entries(env).filter(([k]) => !(names as readonly string[]).includes(k)),
    );
    await expect(approvalProvider(platform).approve(request({ env: without }))).rejects.toMatchObject({
      code: 'APPROVER_UNKNOWN',
      exitCode: 4,
    });
  });

  it('every platform refuses an --approve hash that does not match', async () => {
    const other = contentHash(releasedManifest('cd'));
    for (const [platform, env] of [
      ['github', GITHUB_JOB],
      ['gitlab', GITLAB_JOB],
      ['jenkins', JENKINS_JOB],
    ] as const) {
      await expect(
        approvalProvider(platform).approve(request({ env, options: { isTTY: false, approve: other } })),
      ).rejects.toMatchObject({ code: 'APPROVAL_HASH_MISMATCH' });
    }
  });
});
