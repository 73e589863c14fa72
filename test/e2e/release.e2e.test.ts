/**
 * Issue 12, "Done when": the opt-in end-to-end test covers a k3s deploy with a smoke check, a multi-component
 * release and a rollback, on a real engine (the e2e GitHub workflow runs `npm run test:e2e`). Each scenario is
 * a temporary committed repository (repos.ts) run through the real entry (invocation.ts) with the embedded
 * registry, k3s and a generated key pair. Skipped, with the reason, where no engine is reachable.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentRecord, RunManifest } from '../../src/core/manifest/schema.ts';
import { engineTarget } from '../../src/dagger/engine.ts';
import { e2eInvocation } from './invocation.ts';
import { type RepoComponent, type RepoEnvironment, tempRepo } from './repos.ts';

const exec = promisify(execFile);
const target = engineTarget(process.env);
const reachable = target.kind !== 'none';
const TIMEOUT = 45 * 60_000;

if (!reachable) {
  console.info(
    `[e2e] release scenarios (k3s deploy + smoke, multi-component release, rollback) skipped: no Dagger engine is reachable here (${target.description}). ` +
      'Run `npm run test:e2e` on a machine with Docker, under `dagger run`, or with _EXPERIMENTAL_DAGGER_RUNNER_HOST set; the e2e GitHub workflow runs it.',
  );
}

/** The example answers 200 on /healthz and 404 on any other path (examples/hello-api/src/server.ts). */
const HEALTHY = { path: '/healthz', status: 200, port: 8080 };
const FAILING = { path: '/gantry-e2e-no-such-route', status: 200, port: 8080 };

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs the whole pipeline on a temporary repository; resolves with the exit code and the manifest. */
async function release(
  components: RepoComponent[],
  environments: RepoEnvironment[],
): Promise<{ code: number; stderr: string; manifest: RunManifest }> {
  const repo = await tempRepo(components, environments);
  const out = await mkdtemp(join(tmpdir(), 'gantry-e2e-out-'));
  cleanups.push(repo.dir, out);
  const manifestFile = join(out, 'manifest.json');
  const run = e2eInvocation(process.env, manifestFile);
  let code = 0;
  let stderr = '';
  try {
    ({ stderr } = await exec(run.command, [...run.args, '--config', repo.config], {
      cwd: repo.dir,
      env: process.env,
      maxBuffer: 256 << 20,
    }));
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    code = typeof failed.code === 'number' ? failed.code : -1;
    stderr = failed.stderr ?? '';
  }
  return { code, stderr, manifest: JSON.parse(await readFile(manifestFile, 'utf8')) as RunManifest };
}

const deployment = (m: RunManifest, environment: string): DeploymentRecord | undefined =>
  m.deployments.find((d) => d.environment === environment);

describe.skipIf(!reachable)(`release scenarios on a real engine (${target.description})`, () => {
  it(
    'deploys to the embedded k3s and passes the smoke check',
    async () => {
      const { code, stderr, manifest } = await release(
        [{ name: 'hello-api' }],
        [{ name: 'staging', overlay: 'staging', smoke: HEALTHY }],
      );
      expect(code, stderr).toBe(0);
      const staging = deployment(manifest, 'staging');
      expect(staging?.result).toBe('deployed');
      expect(staging?.driver).toBe('kubernetes');
      expect(staging?.digests['hello-api']).toBe(manifest.components['hello-api']?.image?.digest);
    },
    TIMEOUT,
  );

  it(
    'releases two components together: both built, signed and deployed with their own digests',
    async () => {
      const { code, stderr, manifest } = await release(
        [{ name: 'hello-api' }, { name: 'hello-worker' }],
        [{ name: 'staging', overlay: 'staging', smoke: HEALTHY }],
      );
      expect(code, stderr).toBe(0);
      for (const name of ['hello-api', 'hello-worker']) {
        expect(manifest.components[name]?.image?.ref, name).toMatch(/@sha256:[a-f0-9]{64}$/);
        expect(manifest.components[name]?.signature, name).toBeDefined();
      }
      const staging = deployment(manifest, 'staging');
      expect(staging?.result).toBe('deployed');
      expect(Object.keys(staging?.digests ?? {}).sort()).toEqual(['hello-api', 'hello-worker']);
      for (const name of ['hello-api', 'hello-worker'])
        expect(staging?.digests[name], name).toBe(manifest.components[name]?.image?.digest);
    },
    TIMEOUT,
  );

  it(
    'rolls back when the smoke check fails, to the revision deployed before, and fails the stage',
    async () => {
      // `staging` deploys revision 1; `rollout` applies a new pod template to the same Deployment and
      // namespace (repos.ts) and its smoke check asks for a route the example does not serve.
      const { code, stderr, manifest } = await release(
        [{ name: 'hello-api' }],
        [
          { name: 'staging', overlay: 'staging', smoke: HEALTHY },
          { name: 'rollout', overlay: 'rollout', smoke: FAILING },
        ],
      );
      expect(code, stderr).toBe(1);
      expect(deployment(manifest, 'staging')?.result).toBe('deployed');
      const rolledBack = deployment(manifest, 'rollout');
      expect(rolledBack?.result, rolledBack?.message).toBe('rolled-back');
      expect(rolledBack?.message ?? '').toMatch(/smoke/i);
      // The version running again is the one staging deployed: same Deployment, same image digest.
      expect(rolledBack?.target).toBe(deployment(manifest, 'staging')?.target);
      expect(rolledBack?.digests['hello-api']).toBe(deployment(manifest, 'staging')?.digests['hello-api']);
    },
    TIMEOUT,
  );
});
