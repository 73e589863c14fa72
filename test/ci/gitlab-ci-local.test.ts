/**
 * gitlab-ci-local runs the committed .gitlab-ci.yml (with its include) job by job in a shell, with the
 * manual approval job enabled: the pipeline parses, the jobs run in phase order, the manifest travels
 * between jobs as an artifact and the approver is recorded.
 *
 * Two deviations, both forced by this machine: the docker:dind service is removed (gitlab-ci-local would
 * start it with Docker, which is absent; a shared engine replaces it the same way in real use), and
 * `$GANTRY` points at a recorder that runs the real `gantry plan` for each job's selection
 * (see support/gantry-recorder.mjs) until `gantry run` works end to end against the wire-test engine.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PHASES } from '../../pipeline/graph.ts';
import { repoRoot } from './support/repo.ts';
import { npxNode22, run, TOOL_VERSIONS, unavailable } from './support/tools.ts';

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

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=Ada Approver', '-c', 'user.email=ada@example.com', ...args], { cwd });

/** A throwaway git repository holding the GitLab wrapper, as gitlab-ci-local needs one. */
async function makeRepo(mutate: (template: string) => string = (t) => t): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-gcl-'));
  await mkdir(join(dir, 'ci/gitlab'), { recursive: true });
  await cp(join(repoRoot, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
  const template = parseDocument(await readFile(join(repoRoot, 'ci/gitlab/gantry.yml'), 'utf8'));
  expect(template.getIn(['.gantry', 'services']), 'the template should start Dagger with dind').toBeTruthy();
  template.deleteIn(['.gantry', 'services']);
  await writeFile(join(dir, 'ci/gitlab/gantry.yml'), mutate(template.toString()));
  expect((await git(dir, 'init', '-q', '-b', 'main')).code).toBe(0);
  expect((await git(dir, 'add', '-A')).code).toBe(0);
  expect((await git(dir, 'commit', '-qm', 'wrapper')).code).toBe(0);
  return dir;
}

interface Record {
  job: string;
  argv: string[];
  received: { stages: string[]; approvals: { by: string | null }[] } | null;
  planned: string[];
  approver: string | null;
}

describe.skipIf(skipReason !== undefined)('gitlab-ci-local', () => {
  const dirs: string[] = [];
  let result: Awaited<ReturnType<typeof gcl>>;
  let records: Record[];

  beforeAll(async () => {
    const dir = await makeRepo();
    dirs.push(dir);
    const log = join(dir, '..', `${dir.split('/').pop()}-recorder.jsonl`);
    dirs.push(log);
    result = await gcl(
      [
        '--force-shell-executor',
        '--shell-isolation',
        '--no-artifacts-to-source',
        '--manual',
        'gantry:approve',
        '--variable',
        `GANTRY=${process.execPath} ${join(repoRoot, 'test/ci/support/gantry-recorder.mjs')}`,
        '--variable',
        'GANTRY_INSTALL=true',
      ],
      dir,
      { ...process.env, GANTRY_REPO: repoRoot, GANTRY_RECORDER_LOG: log },
    );
    const text = await readFile(log, 'utf8').catch(() => '');
    records = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('parses the pipeline and every job passes, the manual approval included', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const job of ['gantry:verify', 'gantry:release', 'gantry:approve', 'gantry:promote']) {
      expect(result.stdout).toMatch(new RegExp(`PASS\\s+${job}`));
    }
  });

  it('runs one phase per job, in phase order, each planning the stages of its phase', () => {
    expect(records.map((r) => [r.job, r.argv.join(' ')])).toEqual(
      Object.keys(PHASES).map((phase) => [`gantry:${phase}`, `run --phase ${phase}`]),
    );
    for (const r of records) expect(r.planned).toEqual(PHASES[r.argv[2] as keyof typeof PHASES]);
  });

  it('passes the manifest from each job to the next as an artifact', () => {
    expect(records[0]?.received).toBeNull();
    for (const [i, r] of records.entries()) {
      if (i === 0) continue;
      const before = records.slice(0, i).flatMap((p) => p.planned);
      expect(r.received?.stages, `${r.job} should receive what the jobs before it ran`).toEqual(before);
    }
  });

  it('records the approver of the manual job, and promote sees the approval', () => {
    const approve = records.find((r) => r.job === 'gantry:approve');
    expect(approve?.approver).toBeTruthy();
    const promote = records.find((r) => r.job === 'gantry:promote');
    expect(promote?.received?.approvals).toEqual([expect.objectContaining({ by: approve?.approver })]);
  });

  it('rejects a broken copy: a job that needs a job that does not exist', async () => {
    const dir = await makeRepo((t) => t.replace('needs: [ gantry:verify ]', 'needs: [ gantry:verfy ]'));
    dirs.push(dir);
    const broken = await gcl(['--list'], dir);
    expect(broken.code).not.toBe(0);
    expect(broken.stdout + broken.stderr).toMatch(/gantry:verfy/);
  }, 120_000);
});
