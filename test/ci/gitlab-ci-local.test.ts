/**
 * gitlab-ci-local runs the committed .gitlab-ci.yml, which includes Gantry's CI/CD component
 * (templates/gantry.yml) the local way, with inputs (`include: local` + `inputs:`, which gitlab-ci-local
 * interpolates into the component's `spec: inputs:`; notes/cosign-slsa-facts.md item 11), job by job in a
 * shell. Without `--manual` the approval job does not start by itself and promote does not run; with the
 * manual approval job enabled, every job runs the REAL `gantry run --phase …` of this checkout against
 * the wire-test engine started in this process: the pipeline parses, the jobs pass in phase order, the
 * manifest travels between jobs as an artifact (promote deploys the digest release built) and the approver
 * is recorded from GitLab's variables.
 *
 * Deviations, each forced by this machine or by gitlab-ci-local, none in the jobs' scripts:
 * - the docker:dind service is removed: gitlab-ci-local would start it with Docker, which is absent; jobs
 *   reach the wire-test engine through `DAGGER_SESSION_PORT`/`DAGGER_SESSION_TOKEN` instead, as they would
 *   reach a shared engine in real use;
 * - `$GANTRY` is this checkout's CLI (`node tsx pipeline/main.ts`), and the component's `npm ci` in
 *   before_script is replaced by `true`, since the throwaway repository has no package to install;
 * - `GITLAB_CI=true` is passed, because gitlab-ci-local deliberately sets it to `false` while GitLab sets it
 *   to `true` in every job, and Gantry tells the platform (and its approval provider) by it.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { GITLAB_COMPONENT } from '../../src/cli/ci/gitlab.ts';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import { startTestEngine, type TestEngine } from '../support/engine/index.ts';
import { phasesOf } from '../support/pipeline.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { KEY_SIGNING } from '../support/signing.ts';
import { repoRoot } from './support/repo.ts';
import { npxNode22, run, TOOL_VERSIONS, unavailable } from './support/tools.ts';

/** The CI/CD variables that hold the signing and approval keys (masked, protected variables on GitLab). */
const SIGNING_SECRETS = {
  COSIGN_KEY: 'release-key',
  COSIGN_PASSWORD: 'release-key-password',
  GANTRY_APPROVAL_KEY: 'approval-key',
  GANTRY_APPROVAL_PASSWORD: 'approval-key-password',
};

const PHASES = phasesOf();

const gcl = (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  npxNode22('gitlab-ci-local', TOOL_VERSIONS.gitlabCiLocal, 'gitlab-ci-local', args, { cwd, env });

const skipReason =
  (await unavailable(
    () => run('rsync', ['--version']),
    'rsync',
    'install it with apt-get install rsync (.ci/run does)',
  )) ??
  (await unavailable(
    () => gcl(['--version'], tmpdir()),
    `gitlab-ci-local@${TOOL_VERSIONS.gitlabCiLocal}`,
    '.ci/run installs it into the npx cache',
  ));
if (skipReason) console.warn(`SKIPPED gitlab-ci-local tests: ${skipReason}`);

const JOBS = Object.keys(PHASES).map((phase) => `gantry:${phase}`);
/** gitlab-ci-local takes GITLAB_USER_LOGIN from the local part of the repository's git user.email. */
const APPROVER = 'ada';
const git = (cwd: string, ...args: string[]) => run('git', args, { cwd });

/** What a pipeline run needs from this repository, besides the wrapper. */
const PROJECT_FILES = ['gantry.yaml', 'policies', 'examples/hello-api'];
const notBuildOutput = (src: string) => !/\/(node_modules|dist|reports)(\/|$)/.test(src);

/** A throwaway git repository holding the project and the GitLab wrapper, as gitlab-ci-local needs one. */
async function makeRepo(mutate: (template: string) => string = (t) => t): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-gcl-'));
  await mkdir(join(dir, 'templates'), { recursive: true });
  await cp(join(repoRoot, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
  for (const path of PROJECT_FILES) {
    await cp(join(repoRoot, path), join(dir, path), {
      recursive: true,
      filter: (src) => notBuildOutput(src.slice(repoRoot.length - 1)),
    });
  }
  // On CI an approval is signed by an approval key only the approve job gets, never a key made for the run
  // (issue 11): the project signs in key mode with a separate approval key (the wire engine plays cosign).
  const config = parseDocument(await readFile(join(dir, 'gantry.yaml'), 'utf8'));
  config.set('signing', KEY_SIGNING);
  await writeFile(join(dir, 'gantry.yaml'), config.toString());
  // The component: a spec document, `---`, then the jobs. Only the jobs document is edited.
  const [spec, jobs] = (await readFile(join(repoRoot, GITLAB_COMPONENT), 'utf8')).split(/^---\n/m);
  const template = parseDocument(jobs ?? '');
  expect(template.getIn(['.gantry', 'services']), 'the component should start Dagger with dind').toBeTruthy();
  template.deleteIn(['.gantry', 'services']);
  const install = template.getIn(['.gantry', 'before_script', 1]);
  expect(install, 'the component installs the locked Gantry').toBe('npm ci --no-audit --no-fund');
  template.setIn(['.gantry', 'before_script', 1], 'true');
  await writeFile(join(dir, GITLAB_COMPONENT), mutate(`${spec}---\n${template.toString()}`));
  await writeFile(join(dir, '.gitignore'), 'out/\nnode_modules/\n.gitlab-ci-local/\n');
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['config', 'user.name', 'Ada Approver'],
    ['config', 'user.email', `${APPROVER}@example.com`],
    ['add', '-A'],
    ['commit', '-qm', 'project and wrapper'],
  ]) {
    const result = await git(dir, ...args);
    expect(result.code, result.stderr).toBe(0);
  }
  return dir;
}

/**
 * Where gitlab-ci-local keeps a job's artifacts with --no-artifacts-to-source: `.gitlab-ci-local/artifacts/`
 * under the job's name made file-safe as its `safeDockerString` does (`gantry:verify` → `gantryOgverify`).
 */
const artifacts = (dir: string, job: string) =>
  join(
    dir,
    '.gitlab-ci-local/artifacts',
    job.replace(/[^\w-]+/g, (s) => Buffer.from(s).toString('base64url')),
  );

/** The run manifest a job left as its artifact. */
async function artifactManifest(dir: string, job: string): Promise<RunManifest> {
  return JSON.parse(await readFile(join(artifacts(dir, job), 'out/manifest.json'), 'utf8')) as RunManifest;
}

/** When a stage record says it ended (NaN when missing, so that a comparison with it fails). */
const finished = (s?: { startedAt: string; durationMs: number }) =>
  s ? Date.parse(s.startedAt) + s.durationMs : Number.NaN;

describe.skipIf(skipReason !== undefined)('gitlab-ci-local', () => {
  const dirs: string[] = [];
  let dir: string;
  let engine: TestEngine;
  let result: Awaited<ReturnType<typeof gcl>>;
  let unattended: Awaited<ReturnType<typeof gcl>>;
  let unattendedWithoutGate: Awaited<ReturnType<typeof gcl>>;
  let manifests: Record<string, RunManifest>;
  let head: string;

  beforeAll(async () => {
    dir = await makeRepo();
    dirs.push(dir);
    head = (await git(dir, 'rev-parse', 'HEAD')).stdout.trim();
    engine = await startTestEngine(fullPipelineScenario());
    const gantry = `${process.execPath} ${join(repoRoot, 'node_modules/tsx/dist/cli.mjs')} ${join(repoRoot, 'pipeline/main.ts')}`;
    const variables = { ...engine.env, GANTRY: gantry, GITLAB_CI: 'true', ...SIGNING_SECRETS };
    // First without --manual, with jobs that only print: the approval job must not start by itself. The same
    // with `when: manual` removed from the component shows that this run would notice.
    const printOnly = ['--variable', 'GANTRY=echo gantry', '--variable', 'GITLAB_CI=true'];
    const shell = ['--force-shell-executor', '--shell-isolation', '--no-artifacts-to-source'];
    unattended = await gcl([...shell, ...printOnly], dir);
    const automatic = await makeRepo((t) => t.replace(/(\.gantry:approve:[\s\S]*?)\n\s+when: manual/, '$1'));
    dirs.push(automatic);
    unattendedWithoutGate = await gcl([...shell, ...printOnly], automatic);
    // Asynchronous: the engine in this process answers the jobs while gitlab-ci-local runs them.
    result = await gcl(
      [
        '--force-shell-executor',
        '--shell-isolation',
        '--no-artifacts-to-source',
        '--manual',
        'gantry:approve',
        ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
      ],
      dir,
    );
    manifests = {};
    for (const job of JOBS) {
      const m = await artifactManifest(dir, job).catch(() => undefined);
      if (m) manifests[job] = m;
    }
  }, 600_000);

  afterAll(async () => {
    await engine?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('without --manual, the approval job does not start by itself, so neither it nor promote runs', () => {
    const out = unattended.stdout + unattended.stderr;
    // gitlab-ci-local refuses to start a manual job that a later job needs unless --manual names it.
    expect(out).toMatch(
      /gantry:approve is when:manual, its needed by gantry:promote, and not specified in --manual/,
    );
    expect(unattended.code).not.toBe(0);
    expect(out).not.toMatch(/gantry run --phase (approve|promote)/);
    expect(out).not.toMatch(/(PASS|FAIL)\s+gantry:(approve|promote)/);
  });

  it('with when: manual removed from the component, the same run starts the approval by itself', () => {
    const out = unattendedWithoutGate.stdout + unattendedWithoutGate.stderr;
    expect(unattendedWithoutGate.code, out).toBe(0);
    expect(out).toMatch(/PASS\s+gantry:approve/);
    expect(out).toMatch(/PASS\s+gantry:promote/);
  });

  it('parses the pipeline and every job passes, the manual approval included', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const job of JOBS) expect(result.stdout).toMatch(new RegExp(`PASS\\s+${job}`));
  });

  it('runs each phase in its job: the final manifest has every stage passed, phase after phase', () => {
    const final = manifests['gantry:promote'];
    expect(final, 'the promote job should leave out/manifest.json as its artifact').toBeDefined();
    const stages = (final as RunManifest).stages;
    const phases = Object.values(PHASES);
    expect(Object.keys(stages).sort()).toEqual(phases.flat().sort());
    for (const stage of phases.flat()) expect(stages[stage]?.status, stage).toBe('passed');
    for (const [i, phase] of phases.entries()) {
      const next = phases[i + 1] ?? [];
      const end = Math.max(...phase.map((s) => finished(stages[s])));
      for (const s of next) expect(Date.parse(stages[s]?.startedAt ?? ''), s).toBeGreaterThanOrEqual(end);
    }
  });

  it('passes the manifest from each job to the next: each job adds its phase to what it received', () => {
    for (const [i, job] of JOBS.entries()) {
      const m = manifests[job];
      expect(m, `${job} should leave out/manifest.json as its artifact`).toBeDefined();
      const ran = Object.values(PHASES)
        .slice(0, i + 1)
        .flat();
      expect(Object.keys(m?.stages ?? {}).sort(), job).toEqual([...ran].sort());
    }
  });

  it('promote deploys the digest the release job built and signed, under the hash that was approved', () => {
    const released = manifests['gantry:release'] as RunManifest;
    const final = manifests['gantry:promote'] as RunManifest;
    const ref = released.components['hello-api']?.image?.ref;
    expect(ref).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(final.contentHash).toBe(released.contentHash);
    expect(final.components['hello-api']?.image?.ref).toBe(ref);
    expect(final.deployments.map((d) => [d.environment, d.result, d.digests['hello-api']])).toEqual([
      ['staging', 'deployed', ref],
      ['production', 'deployed', ref],
    ]);
    // Checkout recorded the commit gitlab-ci-local checked out, and no later job changed it.
    expect(final.source?.commit).toBe(head);
  });

  it("hands the manifest hash to later jobs through the release job's dotenv report", async () => {
    const released = manifests['gantry:release'] as RunManifest;
    const report = join(artifacts(dir, 'gantry:release'), '.gitlab-ci-reports/dotenv/out/gantry.env');
    expect(await readFile(report, 'utf8')).toContain(`GANTRY_MANIFEST_HASH=${released.contentHash}\n`);
  });

  it('records the approver of the manual job from GitLab, bound to the released hash', () => {
    const final = manifests['gantry:promote'] as RunManifest;
    expect(final.approvals).toEqual([
      expect.objectContaining({
        platform: 'gitlab',
        by: APPROVER,
        hash: manifests['gantry:release']?.contentHash,
        selfApproved: false,
        url: expect.stringMatching(/\/pipelines\/\d+$/),
        jobUrl: expect.stringMatching(/\/-\/jobs\/\d+$/),
      }),
    ]);
  });

  it('the engine received only schema-valid queries, from every job', () => {
    expect(engine.requests.length).toBeGreaterThan(0);
    expect(engine.requests.filter((r) => !r.valid)).toEqual([]);
  });

  it('rejects a broken copy: a job that needs a job that does not exist', async () => {
    const broken = await makeRepo(
      (t) =>
        `${t}\nextra:\n  extends: .gantry:verify\n  stage: verify\n  needs: [ gantry:verfy ]\n  script: [ "true" ]\n`,
    );
    dirs.push(broken);
    const listed = await gcl(['--list'], broken);
    expect(listed.code).not.toBe(0);
    expect(listed.stdout + listed.stderr).toMatch(/gantry:verfy/);
  }, 120_000);
});
