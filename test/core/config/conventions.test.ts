import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConventions } from '../../../src/core/config/conventions.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { runCli } from '../../support/cli.ts';

const root = join(import.meta.dirname, '../../..');

const deployment = (name: string, image: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{ containerPort: ${port} }]
`;

const files = (over: Record<string, string> = {}): Record<string, string> => ({
  'api/Dockerfile': 'FROM python',
  'api/requirements.txt': 'flask',
  'api/k8s/base/kustomization.yaml': 'resources: [deployment.yaml]',
  'api/k8s/base/deployment.yaml': deployment('api', 'api', 8080),
  'api/k8s/overlays/staging/kustomization.yaml': 'resources: [../../base]',
  ...over,
});

const config = (env = 'kustomize: k8s/overlays/staging') =>
  parseConfig(`version: 1
name: shop
components: [{ name: api, path: api, toolchain: python }]
environments:
  staging: { ${env} }
`);

const check = (f: Record<string, string>, env?: string) => checkConventions(config(env), (p) => f[p]);
const messages = (f: Record<string, string>, env?: string) =>
  check(f, env).map((p) => `${p.severity} ${p.where}: ${p.message}`);

describe('checkConventions', () => {
  it('passes a component that follows every convention (following the overlay to its base)', () => {
    expect(check(files())).toEqual([]);
  });

  it('the Deployment must be named after the component', () => {
    const f = files({ 'api/k8s/base/deployment.yaml': deployment('api-server', 'api', 8080) });
    expect(messages(f).join('\n')).toContain('error api/k8s/overlays/staging: no Deployment named api');
    expect(check(f)[0]?.fix).toBe('name the Deployment after the component: metadata.name: api');
  });

  it('the container image must be named after the component, unless the kustomization pins that name', () => {
    const f = files({ 'api/k8s/base/deployment.yaml': deployment('api', 'ghcr.io/acme/backend:1.0', 8080) });
    expect(messages(f).join('\n')).toContain('no container image named api (found: ghcr.io/acme/backend)');
    f['api/k8s/base/kustomization.yaml'] =
      'resources: [deployment.yaml]\nimages: [{ name: api, newName: x }]';
    expect(check(f)).toEqual([]);
    // A tag or digest on the image does not change its name.
    expect(check(files({ 'api/k8s/base/deployment.yaml': deployment('api', 'api:dev', 8080) }))).toEqual([]);
  });

  it('the kustomize path is relative to the component folder and stays in it', () => {
    const moved = files({ 'k8s/overlays/staging/kustomization.yaml': 'resources: []' });
    delete moved['api/k8s/overlays/staging/kustomization.yaml'];
    expect(messages(moved)).toEqual([
      'error environments.staging.kustomize: no kustomization.yaml in api/k8s/overlays/staging (kustomize is relative to the component path api)',
    ]);
    expect(messages(files(), 'kustomize: ../k8s/overlays/staging')[0]).toContain(
      'leaves the component folder api',
    );
  });

  it('the smoke check port (default 8080) must be a container port of the Deployment', () => {
    const f = files({ 'api/k8s/base/deployment.yaml': deployment('api', 'api', 8000) });
    expect(messages(f)).toEqual([
      'error environments.staging.smoke.port: the smoke check port-forwards to port 8080 (default 8080), but deployment api declares 8000',
    ]);
    expect(check(f, 'kustomize: k8s/overlays/staging, smoke: { port: 8000 }')).toEqual([]);
  });

  it('the toolchain preset finds what it installs, and the Dockerfile exists', () => {
    const f = files();
    delete f['api/requirements.txt'];
    delete f['api/Dockerfile'];
    expect(messages(f).map((m) => m.split(':')[0])).toEqual([
      'error components[api].dockerfile',
      'error components[api].toolchain',
    ]);
  });

  it('a helm chart is looked up relative to the component folder', () => {
    expect(messages(files(), 'driver: helm, helm: { chart: chart }')).toEqual([
      'error environments.staging.helm.chart: no Chart.yaml in api/chart (the chart is relative to the component path api)',
    ]);
    expect(
      check(files({ 'api/chart/Chart.yaml': 'name: api' }), 'driver: helm, helm: { chart: chart }'),
    ).toEqual([]);
  });

  it('holds for the repository own gantry.yaml (examples/hello-api)', () => {
    const own = parseConfig(readFileSync(join(root, 'gantry.yaml'), 'utf8'));
    expect(
      checkConventions(own, (p) => {
        try {
          return readFileSync(join(root, p), 'utf8');
        } catch {
          return undefined;
        }
      }),
    ).toEqual([]);
  });

  it('gantry validate fails with exit 2, listing each broken convention and its fix', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'gantry-conv-'));
    const f = {
      ...files({ 'api/k8s/base/deployment.yaml': deployment('web', 'web', 8080) }),
      'gantry.yaml': `version: 1
name: shop
components: [{ name: api, path: api, toolchain: python }]
environments: { staging: { kustomize: k8s/overlays/staging } }
`,
    };
    for (const [path, text] of Object.entries(f)) {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await writeFile(join(cwd, path), text);
    }
    const result = await runCli(['validate'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[CONVENTION_BROKEN]: gantry.yaml: 2 convention(s)');
    expect(result.stderr).toContain('fix: name the Deployment after the component: metadata.name: api');
    expect(result.stderr).toContain('fix: use image: api');
    expect(result.stderr).toContain('docs/configuration.md');
  });
});
