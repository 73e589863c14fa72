import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import { IMAGES } from '../../src/core/images.ts';
import { describeStages } from '../../src/core/plan.ts';
import type { Toolchain } from '../../src/core/toolchains.ts';
import { runCli } from '../support/cli.ts';

const yaml = `
version: 1
name: shop
registry: { address: ghcr.io/acme }
components:
  - { name: api, path: services/api, toolchain: python }
  - { name: web, path: services/web, toolchain: node, image: acme/web }
environments:
  staging: { driver: kubernetes, kustomize: k8s/overlays/staging, namespace: shop-staging, url: https://staging.example.com }
  production: { driver: helm, helm: { chart: chart }, smoke: { port: 9000 } }
`;

const toolchain = (image: string, install: string[][], test: string[][]): Toolchain => ({
  image,
  install,
  test,
  afterSource: [],
  lockfile: undefined,
  caches: [],
  env: {},
});

describe('describeStages', () => {
  const config = parseConfig(yaml);
  const details = describeStages(
    config,
    {
      api: toolchain(
        IMAGES.python,
        [['pip', 'install', '-r', 'requirements.txt']],
        [['python', '-m', 'pytest']],
      ),
      web: toolchain(IMAGES.node, [['npm', 'ci']], [['npm', 'test']]),
    },
    { lint: 'runs eslint' },
  );

  it('shows per component the toolchain image and the install and test argv', () => {
    expect(details.deps?.components).toEqual([
      {
        name: 'api',
        path: 'services/api',
        image: IMAGES.python,
        commands: [['pip', 'install', '-r', 'requirements.txt']],
        file: undefined,
      },
      { name: 'web', path: 'services/web', image: IMAGES.node, commands: [['npm', 'ci']], file: undefined },
    ]);
    expect(details.test?.components?.map((c) => c.commands)).toEqual([
      [['python', '-m', 'pytest']],
      [['npm', 'test']],
    ]);
    expect(details.test?.components?.[0]?.file).toBe('services/api/reports/junit.xml');
  });

  it('names the built repository under the registry (component.image, else the component name)', () => {
    expect(details.build?.registry).toBe('ghcr.io/acme');
    expect(details.build?.components?.map((c) => c.image)).toEqual([
      'ghcr.io/acme/api',
      'ghcr.io/acme/acme/web',
    ]);
    expect(details.build?.components?.map((c) => c.file)).toEqual([
      'services/api/Dockerfile',
      'services/web/Dockerfile',
    ]);
  });

  it('describes each environment: driver, target, approval (production by default), smoke port, url', () => {
    expect(details['deploy-staging']?.environment).toEqual({
      name: 'staging',
      driver: 'kubernetes',
      approval: false,
      url: 'https://staging.example.com',
      target: 'namespace shop-staging',
      source: 'k8s/overlays/staging',
      cluster: 'embedded k3s',
      smoke: 'GET /healthz on port 8080 → 200',
    });
    const production = details['deploy-production']?.environment;
    expect(production).toMatchObject({
      driver: 'helm',
      approval: true,
      source: 'chart',
      target: 'namespace production',
    });
    expect(production?.smoke).toBe('GET /healthz on port 9000 → 200');
    expect(details['approve-production']?.environment?.name).toBe('production');
    expect(details.lint?.description).toBe('runs eslint');
  });

  it('is shown by gantry plan in text and JSON, from the gantry.yaml of the repository', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'gantry-plan-'));
    await writeFile(join(cwd, 'gantry.yaml'), yaml);
    const text = await runCli(['plan'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('- api (services/api): image python:');
    expect(text.stdout).toContain('$ pip install -r requirements.txt');
    expect(text.stdout).toContain('registry: ghcr.io/acme');
    expect(text.stdout).toContain('environment production: driver helm');
    const json = JSON.parse(
      (await runCli(['plan', '--format', 'json', '--phase', 'verify'], { cwd })).stdout,
    );
    expect(Object.keys(json.details)).toEqual(['checkout', 'deps', 'test', 'scan']);
    expect(json.details.test.components[1].commands).toEqual([['npm', 'test']]);
  });
});
