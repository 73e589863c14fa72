import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import { detectRepository, dnsLabel, type RepoFiles } from '../../../src/core/init/detect.ts';
import { initQuestions, renderGantryYaml } from '../../../src/core/init/render.ts';

/** An in-memory repository: path → content. */
const repo = (files: Record<string, string>): RepoFiles => ({
  files: Object.keys(files).sort(),
  read: (path) => files[path],
});

const pythonAndNode = {
  'package.json': '{"name":"@acme/Shop","devDependencies":{"gantry":"1.0.0"}}',
  'package-lock.json': '{}',
  'services/api/Dockerfile': 'FROM python',
  'services/api/requirements.txt': 'flask==3.0.0',
  'services/api/k8s/overlays/staging/kustomization.yaml': 'resources: [../../base]',
  'services/api/k8s/overlays/production/kustomization.yaml': 'resources: [../../base]',
  'services/web/Dockerfile': 'FROM node',
  'services/web/package.json': '{"name":"web","scripts":{"test":"node --test"}}',
  'services/web/pnpm-lock.yaml': '',
  'services/web/k8s/overlays/staging/kustomization.yaml': 'resources: [../../base]',
  'services/web/k8s/overlays/production/kustomization.yaml': 'resources: [../../base]',
};

describe('detectRepository', () => {
  it('finds one component per Dockerfile folder, its toolchain from manifests and its overlays', () => {
    const d = detectRepository(repo(pythonAndNode), 'checkout');
    expect(d.project).toBe('shop');
    expect(d.components.map((c) => [c.name, c.path, c.toolchains, c.packageManager])).toEqual([
      ['api', 'services/api', ['python'], undefined],
      ['web', 'services/web', ['node'], 'pnpm'],
    ]);
    expect(d.components[0]?.overlays).toEqual({
      staging: 'k8s/overlays/staging',
      production: 'k8s/overlays/production',
    });
    expect(d.environments).toEqual(['staging', 'production']);
    // The root package.json only holds tooling (gantry itself): not a component, not a TODO.
    expect(d.todos).toEqual([]);
  });

  it('writes a gantry.yaml the real loader accepts, with the schema line and no TODO but the registry', () => {
    const text = renderGantryYaml(detectRepository(repo(pythonAndNode), 'checkout'));
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/gantry/gantry.schema.json',
    );
    const config = parseConfig(text);
    expect(config.components.map((c) => [c.name, c.path, c.toolchain])).toEqual([
      ['api', 'services/api', 'python'],
      ['web', 'services/web', 'node'],
    ]);
    expect(config.environments.find((e) => e.name === 'staging')?.kustomize).toBe('k8s/overlays/staging');
    expect(config.environments.find((e) => e.name === 'production')?.approval).toBe(true);
    expect(text.match(/# TODO:/g)).toHaveLength(1);
    expect(text).toContain('# TODO: set registry.address');
  });

  it('uses the answers given at a terminal: a registry with its password as a secret reference', () => {
    const text = renderGantryYaml(detectRepository(repo(pythonAndNode), 'x'), { registry: 'ghcr.io/acme' });
    const config = parseConfig(text);
    expect(config.registry).toEqual({ address: 'ghcr.io/acme', password: 'env://REGISTRY_PASSWORD' });
    expect(text).not.toContain('TODO');
  });

  it('asks which toolchain when a folder has two, and leaves a TODO naming the evidence when unanswered', () => {
    const d = detectRepository(
      repo({
        Dockerfile: '',
        'go.mod': 'module x',
        'go.sum': '',
        'package.json': '{"scripts":{"test":"x"}}',
        'package-lock.json': '',
      }),
      'My Repo',
    );
    expect(d.project).toBe('my-repo');
    const question = initQuestions(d).find((q) => q.id === 'toolchain:my-repo');
    expect(question?.choices?.map((c) => c.value)).toEqual(['go', 'node']);
    const unanswered = renderGantryYaml(d);
    expect(unanswered).toContain(
      '# TODO: . has files of go and node (go.mod, go.sum, package-lock.json, package.json)',
    );
    expect(parseConfig(unanswered).components[0]?.toolchain).toBe('go');
    expect(parseConfig(renderGantryYaml(d, { 'toolchain:my-repo': 'node' })).components[0]?.toolchain).toBe(
      'node',
    );
  });

  it('flags what the presets will not run as they are, each with the fix', () => {
    const d = detectRepository(
      repo({
        'api/Dockerfile': '',
        'api/pyproject.toml': '',
        'web/Dockerfile': '',
        'web/package.json': '{}',
        'worker/go.mod': '',
        'k8s/overlays/staging/kustomization.yaml': '',
      }),
      'r',
    );
    expect(d.components.find((c) => c.name === 'api')?.todos.join()).toContain('run `uv lock`');
    const web = d.components.find((c) => c.name === 'web')?.todos ?? [];
    expect(web.join('\n')).toContain('commit package-lock.json');
    expect(web.join('\n')).toContain('has no "test" script');
    expect(d.todos.join('\n')).toContain('worker has go.mod but no Dockerfile');
    expect(d.todos.join('\n')).toContain('overlay k8s/overlays/staging is outside every component folder');
    const text = renderGantryYaml(d);
    expect(text).toContain('# TODO: no kustomize overlay or Helm chart found');
    expect(parseConfig(text).components).toHaveLength(2);
  });

  it('deploys with helm when the components have a chart and no overlays', () => {
    const d = detectRepository(
      repo({ Dockerfile: '', 'go.mod': '', 'go.sum': '', 'chart/Chart.yaml': 'name: x' }),
      'worker',
    );
    const config = parseConfig(renderGantryYaml(d));
    expect(config.environments[0]).toMatchObject({
      name: 'staging',
      driver: 'helm',
      helm: { chart: 'chart' },
    });
    expect(config.environments[1]).toMatchObject({ name: 'production', approval: true });
    expect(config.components[0]).toMatchObject({ name: 'worker', path: '.', toolchain: 'go' });
  });

  it('orders environments dev, staging, production, then others', () => {
    const files: Record<string, string> = { Dockerfile: '', 'package.json': '{}' };
    for (const env of ['production', 'zeta', 'staging', 'dev'])
      files[`k8s/overlays/${env}/kustomization.yaml`] = '';
    expect(detectRepository(repo(files), 'a').environments).toEqual(['dev', 'staging', 'production', 'zeta']);
  });

  it('makes DNS labels of folder and package names', () => {
    expect(dnsLabel('@acme/My_Service')).toBe('my-service');
    expect(dnsLabel('---')).toBe('app');
  });
});
