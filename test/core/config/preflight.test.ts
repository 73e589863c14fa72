import { describe, expect, it } from 'vitest';
import { assertPreflight, preflight } from '../../../src/core/config/preflight.ts';
import { GantryConfig } from '../../../src/core/config/schema.ts';
import { InputError } from '../../../src/core/errors.ts';

const config = (extra: Record<string, unknown> = {}) =>
  GantryConfig.parse({
    version: 2,
    name: 'shop',
    components: [{ name: 'api', path: 'services/api' }],
    ...extra,
  });
const files =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);
const API = ['/r/services/api', '/r/services/api/Dockerfile', '/r/services/api/kustomization.yaml'];
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('preflight', () => {
  it('passes a repository whose paths exist', () => {
    expect(
      preflight(config({ environments: [{ name: 'staging' }] }), {
        repoRoot: '/r',
        env: {},
        exists: files(...API),
      }),
    ).toEqual([]);
  });

  it('names each missing path with its field: component folder, Dockerfile, overlay, chart, values, public key', () => {
    const c = config({
      environments: [
        { name: 'staging', kustomize: 'k8s/staging' },
        { name: 'production', driver: 'helm', helm: { chart: 'chart', values: ['chart/prod.yaml'] } },
      ],
      signing: { mode: 'key', key: 'file://k', password: 'file://p', publicKey: 'cosign.pub' },
    });
    expect(fields(preflight(c, { repoRoot: '/r', env: {}, exists: files() }))).toEqual([
      'components[0].path',
      'components[0].dockerfile',
      'environments.staging.kustomize',
      'environments.production.helm.chart',
      'environments.production.helm.values[0]',
      'signing.publicKey',
    ]);
  });

  it('checks only what the selected stages use: the four unset secrets of `run --until sign`', () => {
    const c = config({
      registry: { address: 'ghcr.io/acme', username: 'bot', password: 'env://REGISTRY_TOKEN' },
      signing: {
        mode: 'key',
        key: 'env://COSIGN_KEY',
        password: 'env://COSIGN_PASSWORD',
        publicKey: 'cosign.pub',
      },
      environments: [{ name: 'staging', kubeconfig: 'env://KUBECONFIG_STAGING' }],
    });
    const exists = files(...API, '/r/cosign.pub');
    const untilSign = ['checkout', 'deps', 'test', 'scan', 'build', 'sign'];
    const found = preflight(c, { repoRoot: '/r', env: {}, stages: untilSign, exists });
    expect(fields(found)).toEqual(['signing.key', 'signing.password', 'registry.password']);
    expect(found[0]?.message).toBe('env://COSIGN_KEY is not set, and stage sign needs it');
    expect(found[0]?.fix).toContain('export COSIGN_KEY');
    // The deploy stage adds the kubeconfig; the verify phase alone needs none of them.
    expect(fields(preflight(c, { repoRoot: '/r', env: {}, exists }))).toContain(
      'environments.staging.kubeconfig',
    );
    expect(preflight(c, { repoRoot: '/r', env: {}, stages: ['checkout', 'scan'], exists })).toEqual([]);
    // Set → no problem; an empty value counts as unset.
    const env = { REGISTRY_TOKEN: 't', COSIGN_KEY: 'k', COSIGN_PASSWORD: '' };
    expect(fields(preflight(c, { repoRoot: '/r', env, stages: untilSign, exists }))).toEqual([
      'signing.password',
    ]);
  });

  it('refuses the embedded registry with a real cluster or GitOps: localhost:5000 cannot be pulled there', () => {
    const real = config({ environments: [{ name: 'staging', kubeconfig: 'file://kube' }] });
    const [problem] = preflight(real, { repoRoot: '/r', env: {}, exists: files(...API) });
    expect(problem?.field).toBe('registry');
    expect(problem?.message).toMatch(/real cluster.*localhost:5000/);
    const gitops = config({
      environments: [
        {
          name: 'production',
          driver: 'gitops',
          gitops: {
            repository: 'https://git.example.com/ops.git',
            file: 'apps/api/kustomization.yaml',
            token: 'file://t',
          },
        },
      ],
    });
    expect(fields(preflight(gitops, { repoRoot: '/r', env: {}, exists: files(...API) }))).toEqual([
      'registry',
    ]);
    // Not deploying there in this run: nothing to refuse.
    expect(preflight(real, { repoRoot: '/r', env: {}, stages: ['build'], exists: files(...API) })).toEqual(
      [],
    );
    // With a registry it is fine.
    const ok = config({
      registry: { address: 'ghcr.io/acme' },
      environments: [{ name: 'staging', kubeconfig: 'file://kube' }],
    });
    expect(preflight(ok, { repoRoot: '/r', env: {}, exists: files(...API) })).toEqual([]);
  });

  it('fails as one InputError (exit 2) listing field and fix of each problem', () => {
    const problems = preflight(config(), { repoRoot: '/r', env: {}, exists: files() });
    let error: unknown;
    try {
      assertPreflight(problems, 'gantry.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'PREFLIGHT_FAILED', exitCode: 2 });
    expect(String((error as Error).message)).toMatch(
      /gantry\.yaml: components\[0\]\.path: .*\n\s+fix: set path/,
    );
    expect(() => assertPreflight([])).not.toThrow();
  });
});
