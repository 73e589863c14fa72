/** Paths in gantry.yaml stay inside the repository, symlinks included; no credentials in URLs (issue 11). */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, parseConfig } from '../../../src/core/config/load.ts';
import { InputError } from '../../../src/core/errors.ts';
import { packageFile, resolvePolicyFile } from '../../../src/core/package-files.ts';

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'gantry-contain-'));
  await mkdir(join(repo, 'services/api/k8s'), { recursive: true });
  await writeFile(join(repo, 'services/api/Dockerfile'), 'FROM scratch\n');
});
afterEach(() => rm(repo, { recursive: true, force: true }));

const base = { version: 1, name: 'demo', components: [{ name: 'api', path: 'services/api' }] };

async function load(config: object): Promise<InputError | undefined> {
  const file = join(repo, 'gantry.yaml');
  await writeFile(file, stringify(config));
  try {
    await loadConfig(file, repo);
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

const withComponent = (extra: object) => ({ ...base, components: [{ ...base.components[0], ...extra }] });
const staging = (env: object) => ({ ...base, environments: { staging: env } });

describe('paths stay inside the repository', () => {
  it('accepts the paths of a normal config, absolute ones inside the repository included', async () => {
    expect(await load(base)).toBeUndefined();
    expect(await load({ ...base, policy: join(repo, 'policies/mine.yaml') })).toBeUndefined();
    expect(await load(staging({ kustomize: 'k8s/overlays/staging' }))).toBeUndefined();
  });

  it.each([
    ['components[0].path', withComponent({ path: '../../../../etc' })],
    ['components[0].path', withComponent({ path: '/etc' })],
    ['components[0].dockerfile', withComponent({ dockerfile: '../../../outside/Dockerfile' })],
    ['components[0].junit', withComponent({ junit: '../../../junit.xml' })],
    [
      'components[0].toolchain.lockfile',
      withComponent({ toolchain: { image: 'node:22', lockfile: '/etc/passwd' } }),
    ],
    ['environments[0].kustomize', staging({ kustomize: '../../../../tmp' })],
    ['environments[0].helm.chart', staging({ driver: 'helm', helm: { chart: '../../../chart' } })],
    [
      'environments[0].helm.values[1]',
      staging({ driver: 'helm', helm: { chart: 'chart', values: ['v.yaml', '/etc/v.yaml'] } }),
    ],
    [
      'signing.publicKey',
      {
        ...base,
        signing: { mode: 'key', key: 'env://K', password: 'env://P', publicKey: '/etc/ssl/cosign.pub' },
      },
    ],
    ['policy', { ...base, policy: '/etc/passwd' }],
    ['policy', { ...base, policy: '../policy.yaml' }],
  ])('%s escaping → exit 2 naming the field', async (field, config) => {
    const error = await load(config);
    expect(error?.code).toBe('CONFIG_PATH_OUTSIDE');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(`${field}:`);
  });

  it('a symbolic link inside the repository that points out of it is refused', async () => {
    await symlink('/etc', join(repo, 'services/api/k8s/escape'));
    const error = await load(staging({ kustomize: 'k8s/escape' }));
    expect(error?.message).toMatch(/environments\[0\]\.kustomize: .*symbolic link to \/etc/);
    await symlink('/', join(repo, 'root-link'));
    expect((await load(withComponent({ path: 'root-link/etc' })))?.code).toBe('CONFIG_PATH_OUTSIDE');
    // A link that stays inside the repository is fine.
    await symlink(join(repo, 'services'), join(repo, 'svc'));
    expect(await load(withComponent({ path: 'svc/api' }))).toBeUndefined();
  });

  it('a GitOps file must stay inside the GitOps repository', async () => {
    const gitops = (file: string) =>
      staging({
        driver: 'gitops',
        gitops: { repository: 'https://git.example.com/o/r.git', file, token: 'env://T' },
      });
    expect(await load(gitops('apps/api/kustomization.yaml'))).toBeUndefined();
    expect((await load(gitops('../../etc/passwd')))?.message).toContain('environments[0].gitops.file');
  });
});

describe('shipped policies by name', () => {
  it('builtin:default and builtin:strict name the shipped files; an unknown name is exit 2', async () => {
    expect(resolvePolicyFile(repo, 'builtin:default')).toBe(packageFile('policies/default.yaml'));
    expect(resolvePolicyFile(repo, 'builtin:strict')).toBe(packageFile('policies/strict.yaml'));
    expect(await load({ ...base, policy: 'builtin:strict' })).toBeUndefined();
    expect((await load({ ...base, policy: 'builtin:lenient' }))?.code).toBe('CONFIG_POLICY_UNKNOWN');
  });
});

describe('no credentials in URLs', () => {
  const fail = (config: object) => {
    try {
      parseConfig(stringify(config), 'gantry.yaml');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    return undefined;
  };
  const gitops = (repository: string) =>
    staging({ driver: 'gitops', gitops: { repository, file: 'a.yaml', token: 'env://GITOPS_TOKEN' } });

  it.each([
    ['environments[0].gitops.repository', gitops('https://:TOKEN@git.example.com/o/r.git'), 'gitops.token'],
    ['environments[0].gitops.repository', gitops('https://bot@git.example.com/o/r.git'), 'gitops.token'],
    ['environments[0].url', staging({ url: 'https://admin:PW@app.example.com' }), 'env://NAME'],
  ])(
    '%s with credentials → exit 2, naming the field and the secret reference',
    (field, config, reference) => {
      const error = fail(config);
      expect(error?.code).toBe('CONFIG_URL_CREDENTIALS');
      expect(error?.exitCode).toBe(2);
      expect(error?.message).toContain(`${field}:`);
      expect(error?.hint).toContain(reference);
      // The secret itself is never repeated.
      expect(`${error?.message}${error?.hint}`).not.toMatch(/TOKEN@|PW/);
    },
  );

  it('accepts URLs without credentials and secret references', () => {
    expect(fail(gitops('https://git.example.com/o/r.git'))).toBeUndefined();
    expect(fail(staging({ url: 'https://app.example.com/x?user=a' }))).toBeUndefined();
    expect(
      fail({ ...base, registry: { address: 'ghcr.io/acme', password: 'cmd://curl https://u:p@vault/x' } }),
    ).toBeUndefined();
  });
});
