import { join } from 'node:path';
import { dag } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Component } from '../../../src/core/config/schema.ts';
import { IMAGES } from '../../../src/core/images.ts';
import { KUBECONFIG_PATH, SMOKE_SCRIPT } from '../../../src/dagger/drivers/kubectl.ts';
import { kubernetesDriver, overlayGroups } from '../../../src/dagger/drivers/kubernetes.ts';
import type { DeployImage, DeployRequest } from '../../../src/dagger/drivers/types.ts';
import type { ExecRecord, ExecRule } from '../../support/engine/index.ts';
import { DIGEST, KUBECONFIG, ROOT, request, runDriver, stagingOverlay } from './support.ts';

const OVERLAY = 'k8s/overlays/staging/kustomization.yaml';
const argvOf = (execs: ExecRecord[]) => execs.map((e) => e.argv.join(' '));
const find = (execs: ExecRecord[], start: string) => execs.find((e) => e.argv.join(' ').startsWith(start));

async function deploy(rules: ExecRule[]) {
  const files = { [join(ROOT, 'examples/hello-api', OVERLAY)]: await stagingOverlay() };
  return runDriver({ files, exec: rules }, (r) => kubernetesDriver().deploy(r), request({}));
}

describe('kubernetes driver (wire)', () => {
  it('pins the digest in the overlay, applies, waits for the rollout and smoke-checks, in that order', async () => {
    const { engine, outcome, error } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '200' }]);
    expect(error).toBeUndefined();
    expect(outcome).toMatchObject({ result: 'deployed', target: 'hello-api-staging' });
    const execs = engine.execs();
    const apply = find(execs, 'kubectl apply');
    expect(apply).toMatchObject({
      argv: ['kubectl', 'apply', '-k', 'k8s/overlays/staging'],
      image: IMAGES.kubectl,
      workdir: '/work',
    });
    // The kustomization written over the overlay pins newName + digest (no tag) and keeps the namespace.
    const written = apply?.steps.find((s) => s.field === 'withNewFile');
    expect(written?.args.path).toBe(`/work/${OVERLAY}`);
    const kustomization = parse(String(written?.args.contents));
    expect(kustomization.images).toEqual([
      { name: 'hello-api', newName: 'localhost:5000/hello-api', digest: DIGEST },
    ]);
    expect(kustomization.namespace).toBe('hello-api-staging');
    const rollout = find(execs, 'kubectl rollout status');
    expect(rollout?.argv).toEqual([
      'kubectl',
      'rollout',
      'status',
      'deployment/hello-api',
      '-n',
      'hello-api-staging',
      '--timeout=120s',
    ]);
    // The rollout runs in the container the apply ran in: apply comes first in its chain.
    const chain = (rollout?.steps ?? [])
      .filter((s) => s.field === 'withExec')
      .map((s) => (s.args.args as string[])[1]);
    expect(chain).toEqual(['apply', 'rollout']);
    const smoke = execs.find((e) => e.argv === SMOKE_SCRIPT || e.argv.join(' ') === SMOKE_SCRIPT.join(' '));
    expect(smoke).toMatchObject({
      image: IMAGES.curl,
      env: {
        SMOKE_NAMESPACE: 'hello-api-staging',
        SMOKE_DEPLOYMENT: 'hello-api',
        SMOKE_PORT: '8080',
        SMOKE_PATH: '/healthz',
        SMOKE_URL: '',
      },
    });
    expect(argvOf(execs).some((a) => a.includes('rollout undo'))).toBe(false);
  });

  it('gives kubectl the kubeconfig only as a secret file', async () => {
    const { engine } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '200' }]);
    for (const exec of engine.execs()) {
      expect(exec.secrets).toEqual([{ target: KUBECONFIG_PATH, as: 'file', secret: 'kubeconfig' }]);
      expect(exec.env.KUBECONFIG).toBe(KUBECONFIG_PATH);
    }
    expect(engine.leaks(KUBECONFIG)).toEqual([]);
    expect(engine.leaks('S3CR3T-KEY')).toEqual([]);
  });

  it('rolls back when the rollout does not finish, skips the smoke check, and reports rolled-back', async () => {
    const { engine, outcome } = await deploy([
      { argv: /^kubectl rollout status/, exitCode: 1, stderr: 'error: timed out waiting for the condition' },
      { argv: SMOKE_SCRIPT, stdout: '200' },
    ]);
    expect(outcome).toMatchObject({ result: 'rolled-back' });
    expect(outcome?.message).toMatch(/did not become ready within 120s: error: timed out/);
    const undo = find(engine.execs(), 'kubectl rollout undo');
    expect(undo?.argv).toEqual([
      'kubectl',
      'rollout',
      'undo',
      'deployment/hello-api',
      '-n',
      'hello-api-staging',
    ]);
    expect(engine.execs().some((e) => e.image === IMAGES.curl)).toBe(false);
  });

  it('rolls back when the smoke check answers another status', async () => {
    const { engine, outcome } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '503' }]);
    expect(outcome).toMatchObject({ result: 'rolled-back' });
    expect(outcome?.message).toMatch(/smoke check GET \/healthz answered 503, expected 200/);
    expect(argvOf(engine.execs())).toContain(
      'kubectl rollout undo deployment/hello-api -n hello-api-staging',
    );
  });

  it('uses the configured namespace over the overlay one', async () => {
    const files = { [join(ROOT, 'examples/hello-api', OVERLAY)]: await stagingOverlay() };
    const { engine } = await runDriver(
      { files, exec: [{ argv: SMOKE_SCRIPT, stdout: '200' }] },
      (r) => kubernetesDriver().deploy(r),
      request({ namespace: 'team-a' }),
    );
    expect(find(engine.execs(), 'kubectl rollout status')?.argv).toContain('team-a');
  });

  // kubernetes/kubectl pkg/polymorphichelpers/rollback.go: a Deployment with one revision →
  // `no rollout history found for deployment "x"`, exit 1 (facts §8).
  it('first deploy: nothing to roll back to → failed, with the rollout failure as the cause', async () => {
    const { outcome, error } = await deploy([
      {
        argv: /^kubectl rollout status/,
        exitCode: 1,
        stderr: 'error: deployment "hello-api" exceeded its progress deadline',
      },
      {
        argv: /^kubectl rollout undo/,
        exitCode: 1,
        stderr: 'error: no rollout history found for deployment "hello-api"',
      },
    ]);
    expect(error).toBeUndefined();
    expect(outcome?.result).toBe('failed');
    expect(outcome?.message).toMatch(
      /did not become ready within 120s: error: deployment "hello-api" exceeded its progress deadline/,
    );
    expect(outcome?.message).toContain('no earlier revision to roll back to');
    expect(outcome?.message).not.toContain('no rollout history');
  });

  it('a rollback that itself fails for another reason is an error naming both causes', async () => {
    const { error } = await deploy([
      { argv: SMOKE_SCRIPT, stdout: '503' },
      {
        argv: /^kubectl rollout undo/,
        exitCode: 1,
        stderr: 'error: you cannot rollback a paused deployment',
      },
    ]);
    expect(error).toMatchObject({ code: 'ROLLBACK_FAILED' });
    expect(String((error as Error).message)).toMatch(
      /answered 503.*rollback failed too: error: you cannot rollback a paused/s,
    );
  });
});

/**
 * A monorepo: an api (HTTP) and a worker (no HTTP, `smoke: false`) under services/, sharing the overlay
 * k8s/overlays/staging, reached from each component folder as ../../k8s/overlays/staging. The overlay names its
 * base as ../../base; kubectl sees only what is copied into its container, so the copy must hold the overlay
 * and what it refers to: the repository part holding the components and the overlay.
 */
describe('kubernetes driver, two components sharing one overlay (wire)', () => {
  const REPO = '/repo';
  const SHARED = 'k8s/overlays/staging/kustomization.yaml';
  const overlayText =
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - ../../base\n';
  const image = (name: string, path: string, extra: Record<string, unknown> = {}): DeployImage => {
    const repository = `localhost:5000/${name}`;
    const component = Component.parse({ name, path, ...extra });
    return { component, ref: `${repository}@${DIGEST}` };
  };
  const monorepo = (): DeployRequest => ({
    ...request({ kustomize: '../../k8s/overlays/staging' })(),
    images: [image('api', 'services/api'), image('worker', 'services/worker', { smoke: false })],
    source: (c) => dag.host().directory(join(REPO, c.path)),
    repo: (path) => dag.host().directory(join(REPO, path)),
  });
  const run = (rules: ExecRule[]) =>
    runDriver(
      { files: { [join(REPO, SHARED)]: overlayText }, exec: rules },
      (r) => kubernetesDriver().deploy(r),
      monorepo,
    );

  it('groups by resolved overlay, mounting the smallest folder holding components and overlay', () => {
    const groups = overlayGroups(monorepo().images, '../../k8s/overlays/staging');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      overlay: 'k8s/overlays/staging',
      root: '.',
      dir: 'k8s/overlays/staging',
    });
    // Inside the component folder, the component folder stays the root (the documented default).
    expect(overlayGroups([image('api', 'services/api')], 'k8s/staging')[0]).toMatchObject({
      overlay: 'services/api/k8s/staging',
      root: 'services/api',
      dir: 'k8s/staging',
    });
    expect(() => overlayGroups([image('api', 'services/api')], '../../../elsewhere')).toThrow(
      /leads out of the repository/,
    );
  });

  it('applies the shared overlay once with both images pinned, and smoke-checks only the api', async () => {
    const { engine, outcome, error } = await run([{ argv: SMOKE_SCRIPT, stdout: '200' }]);
    expect(error).toBeUndefined();
    expect(outcome).toMatchObject({ result: 'deployed', target: 'shop' });
    const execs = engine.execs();
    const applies = execs.filter((e) => e.argv.join(' ').startsWith('kubectl apply'));
    expect(applies).toHaveLength(1);
    expect(applies[0]?.argv).toEqual(['kubectl', 'apply', '-k', 'k8s/overlays/staging']);
    // The repository root is what is copied to /work, so ../../base resolves.
    const copy = applies[0]?.copies.find((c) => c.path === '/work');
    expect(copy?.source.find((s) => s.field === 'directory')?.args.path).toBe(REPO);
    const written = applies[0]?.steps.find((s) => s.field === 'withNewFile');
    expect(written?.args.path).toBe(`/work/${SHARED}`);
    expect(parse(String(written?.args.contents)).images).toEqual([
      { name: 'api', newName: 'localhost:5000/api', digest: DIGEST },
      { name: 'worker', newName: 'localhost:5000/worker', digest: DIGEST },
    ]);
    const rollouts = execs.filter((e) => e.argv.join(' ').startsWith('kubectl rollout status'));
    expect(rollouts.map((e) => e.argv[3]).sort()).toEqual(['deployment/api', 'deployment/worker']);
    const smokes = execs.filter((e) => e.image === IMAGES.curl);
    expect(smokes.map((e) => e.env.SMOKE_DEPLOYMENT)).toEqual(['api']);
  });

  it('a failing api smoke check rolls back both Deployments and reports the smoke failure', async () => {
    const { engine, outcome } = await run([{ argv: SMOKE_SCRIPT, stdout: '503' }]);
    expect(outcome).toMatchObject({ result: 'rolled-back', target: 'shop' });
    expect(outcome?.message).toMatch(/^api: smoke check GET \/healthz answered 503, expected 200$/);
    const undos = argvOf(engine.execs()).filter((a) => a.includes('rollout undo'));
    expect(undos.sort()).toEqual([
      'kubectl rollout undo deployment/api -n shop',
      'kubectl rollout undo deployment/worker -n shop',
    ]);
  });

  it('a component can replace fields of the environment smoke check', async () => {
    const make = (): DeployRequest => ({
      ...monorepo(),
      images: [image('api', 'services/api', { smoke: { port: 9000, path: '/ready' } })],
    });
    const { engine } = await runDriver(
      { files: { [join(REPO, SHARED)]: overlayText }, exec: [{ argv: SMOKE_SCRIPT, stdout: '200' }] },
      (r) => kubernetesDriver().deploy(r),
      make,
    );
    const smoke = engine.execs().find((e) => e.image === IMAGES.curl);
    expect(smoke?.env).toMatchObject({ SMOKE_PORT: '9000', SMOKE_PATH: '/ready', SMOKE_DEPLOYMENT: 'api' });
  });
});
