import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGES } from '../../../src/core/images.ts';
import { KUBECONFIG_PATH, SMOKE_SCRIPT } from '../../../src/dagger/drivers/kubectl.ts';
import { kubernetesDriver } from '../../../src/dagger/drivers/kubernetes.ts';
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
