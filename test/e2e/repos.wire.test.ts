/**
 * Dry check of the release scenarios' repositories (repos.ts): without an engine, `gantry validate` must accept
 * what release.e2e.test.ts will run, so a broken fixture shows up here and not only on the e2e runner.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../support/cli.ts';
import { type TempRepo, tempRepo } from './repos.ts';

const SMOKE = { path: '/healthz', status: 200, port: 8080 };
let repo: TempRepo | undefined;
afterEach(async () => {
  if (repo) await rm(repo.dir, { recursive: true, force: true });
});

describe('e2e release repositories', () => {
  it('validate accepts a two-component repository with a rollout overlay, and the second component is renamed', async () => {
    repo = await tempRepo(
      [{ name: 'hello-api' }, { name: 'hello-worker' }],
      [
        { name: 'staging', overlay: 'staging', smoke: SMOKE },
        { name: 'rollout', overlay: 'rollout', smoke: SMOKE },
      ],
    );
    const result = await runCli(['validate', '--config', repo.config], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    const deployment = parse(
      await readFile(join(repo.dir, 'services/hello-worker/k8s/base/deployment.yaml'), 'utf8'),
    );
    expect(deployment.metadata.name).toBe('hello-worker');
    const rollout = parse(
      await readFile(join(repo.dir, 'services/hello-api/k8s/overlays/rollout/kustomization.yaml'), 'utf8'),
    );
    expect(rollout.resources).toEqual(['../staging']);
  });
});
