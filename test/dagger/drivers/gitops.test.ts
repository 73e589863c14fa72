import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGES } from '../../../src/core/images.ts';
import { gitopsDriver, REPO_DIR } from '../../../src/dagger/drivers/gitops.ts';
import { DIGEST, ROOT, request, runDriver } from './support.ts';

const TOKEN = 'ghp_0123456789abcdefSECRET';
const FILE = 'apps/hello-api/kustomization.yaml';
const GITOPS = {
  driver: 'gitops',
  gitops: { repository: 'https://github.com/acme/gitops', file: FILE, token: 'env://GITOPS_TOKEN' },
};

async function deploy(contents: string, settings: Record<string, unknown> = GITOPS, file = FILE) {
  return runDriver(
    { files: { [`${REPO_DIR}/${file}`]: contents }, secrets: { 'env://GITOPS_TOKEN': TOKEN } },
    (r) => gitopsDriver().deploy({ ...r, cluster: undefined }),
    request(settings),
  );
}

const kustomization = () => readFile(join(ROOT, 'examples/hello-api/k8s/base/kustomization.yaml'), 'utf8');

describe('gitops driver (wire)', () => {
  it('clones, writes the pinned file (comments kept), commits with the run id and pushes', async () => {
    const original = await kustomization();
    const { engine, outcome, error } = await deploy(original);
    expect(error).toBeUndefined();
    expect(outcome).toMatchObject({
      result: 'deployed',
      target: `https://github.com/acme/gitops#main:${FILE}`,
    });
    const execs = engine.execs();
    expect(execs.map((e) => e.argv.slice(0, 2).join(' '))).toEqual([
      'git clone',
      'git -c',
      'git push',
      'git rev-parse',
    ]);
    expect(execs[0]?.argv).toEqual([
      'git',
      'clone',
      '--depth',
      '1',
      '--branch',
      'main',
      '--single-branch',
      'https://github.com/acme/gitops',
      REPO_DIR,
    ]);
    const push = execs[2];
    expect(push?.argv).toEqual(['git', 'push', 'origin', 'HEAD:main']);
    expect(push?.image).toBe(IMAGES.git);
    const written = push?.steps.find((s) => s.field === 'withNewFile');
    expect(written?.args.path).toBe(`${REPO_DIR}/${FILE}`);
    const text = String(written?.args.contents);
    expect(parse(text).images).toEqual([
      { name: 'hello-api', newName: 'localhost:5000/hello-api', digest: DIGEST },
    ]);
    expect(text).toContain('# `name` matches the container image in deployment.yaml');
    const commit = execs[1]?.argv ?? [];
    expect(commit.slice(-5, -3)).toEqual(['commit', '-m']);
    expect(commit.slice(-2)).toEqual(['--', FILE]);
    expect(commit.at(-3)).toMatch(
      /^deploy\(staging\): hello-api\n[\s\S]*localhost:5000\/hello-api@sha256:c3c3[\s\S]*Gantry-Run-Id: run-42\n$/,
    );
  });

  it('passes the token only as a secret variable read by a credential helper', async () => {
    const { engine } = await deploy(await kustomization());
    for (const exec of engine.execs()) {
      expect(exec.secrets).toEqual([{ target: 'GIT_TOKEN', as: 'env', secret: 'env://GITOPS_TOKEN' }]);
      expect(exec.env.GIT_CONFIG_KEY_0).toBe('credential.helper');
      expect(exec.env.GIT_CONFIG_VALUE_0).toContain('$GIT_TOKEN');
      expect(JSON.stringify(exec.argv)).not.toContain('GIT_TOKEN');
    }
    expect(engine.leaks(TOKEN)).toEqual([]);
  });

  it('edits a Helm values file the same way', async () => {
    const values = await readFile(
      join(import.meta.dirname, '../../core/deploy/fixtures/values.yaml'),
      'utf8',
    );
    const file = 'envs/staging/values.yaml';
    const { engine } = await deploy(values, { ...GITOPS, gitops: { ...GITOPS.gitops, file } }, file);
    const written = engine
      .execs()
      .at(-1)
      ?.steps.find((s) => s.field === 'withNewFile');
    const text = String(written?.args.contents);
    expect(parse(text).image).toEqual({
      repository: 'localhost:5000/hello-api',
      pullPolicy: 'IfNotPresent',
      tag: '1.4.0',
      digest: DIGEST,
    });
    expect(text).toContain('# The tag is ignored once a digest is set.');
  });

  it('pushes nothing when the file already pins these digests', async () => {
    const { pinKustomizationImage } = await import('../../../src/core/deploy/gitops-edit.ts');
    const pinned = pinKustomizationImage(await kustomization(), {
      name: 'hello-api',
      repository: 'localhost:5000/hello-api',
      digest: DIGEST,
    });
    const { engine, outcome } = await deploy(pinned);
    expect(outcome?.result).toBe('deployed');
    expect(engine.execs().map((e) => e.argv[1])).toEqual(['clone']);
  });

  it('refuses a repository URL with credentials in it', async () => {
    const settings = {
      ...GITOPS,
      gitops: { ...GITOPS.gitops, repository: 'https://bot:tok@github.com/acme/gitops' },
    };
    const { error, engine } = await deploy('', settings);
    expect(error).toMatchObject({ code: 'GITOPS_URL_CREDENTIALS', exitCode: 2 });
    expect(engine.execs()).toEqual([]);
  });
});
