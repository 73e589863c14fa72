import { describe, expect, it } from 'vitest';
import { IMAGES } from '../../../src/core/images.ts';
import { helmDriver, helmFullname } from '../../../src/dagger/drivers/helm.ts';
import { KUBECONFIG_PATH, SMOKE_SCRIPT } from '../../../src/dagger/drivers/kubectl.ts';
import type { ExecRule, Step } from '../../support/engine/index.ts';
import { DIGEST, KUBECONFIG, request, runDriver } from './support.ts';

const HELM = { helm: { chart: 'chart', values: ['chart/values-staging.yaml'] } };
const deploy = (exec: ExecRule[], settings: Record<string, unknown> = HELM) =>
  runDriver({ exec }, (r) => helmDriver().deploy(r), request(settings));

describe('helm driver (wire)', () => {
  it('runs helm upgrade --install with the digest, --atomic --wait --timeout, the kubeconfig as a secret', async () => {
    const { engine, outcome, error } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '200' }]);
    expect(error).toBeUndefined();
    expect(outcome).toMatchObject({ result: 'deployed', target: 'staging/hello-api' });
    const helm = engine.execs().find((e) => e.argv[0] === 'helm');
    expect(helm?.argv).toEqual([
      'helm',
      'upgrade',
      '--install',
      'hello-api',
      '/work/chart',
      '--namespace',
      'staging',
      '--create-namespace',
      '--atomic',
      '--wait',
      '--timeout',
      '120s',
      '--values',
      '/work/chart/values-staging.yaml',
      '--set',
      'image.repository=localhost:5000/hello-api',
      '--set',
      `image.digest=${DIGEST}`,
    ]);
    expect(helm?.argv.filter((a) => a.includes('@sha256:') || a.endsWith(DIGEST))).toEqual([
      `image.digest=${DIGEST}`,
    ]);
    expect(helm?.image).toBe(IMAGES.helm);
    expect(helm?.secrets).toEqual([{ target: KUBECONFIG_PATH, as: 'file', secret: 'kubeconfig' }]);
    expect(engine.leaks(KUBECONFIG)).toEqual([]);
    expect(engine.execs().some((e) => e.argv.includes('rollback'))).toBe(false);
  });

  it('reports rolled-back when the atomic upgrade fails, without a smoke check', async () => {
    const { engine, outcome } = await deploy([
      {
        argv: /^helm upgrade/,
        exitCode: 1,
        stderr:
          'Error: UPGRADE FAILED: release hello-api failed, and has been rolled back due to atomic being set',
      },
    ]);
    expect(outcome).toMatchObject({ result: 'rolled-back' });
    expect(outcome?.message).toMatch(/rolled back \(--atomic\)/);
    expect(engine.execs().some((e) => e.image === IMAGES.curl)).toBe(false);
  });

  it('rolls back to the previous revision when the smoke check fails', async () => {
    const { engine, outcome } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '500' }]);
    expect(outcome).toMatchObject({ result: 'rolled-back' });
    const rollback = engine.execs().find((e) => e.argv[1] === 'rollback');
    expect(rollback?.argv).toEqual([
      'helm',
      'rollback',
      'hello-api',
      '0',
      '--namespace',
      'staging',
      '--wait',
    ]);
    // The rollback runs after the upgrade, in its container.
    expect(rollback?.steps.filter((s) => s.field === 'withExec')).toHaveLength(2);
  });

  it('passes an oci:// chart and its version through, and refuses a missing chart as invalid input', async () => {
    const { engine } = await deploy([{ argv: SMOKE_SCRIPT, stdout: '200' }], {
      helm: { chart: 'oci://ghcr.io/acme/charts/hello-api', version: '1.2.3', release: 'hello' },
    });
    const helm = engine.execs().find((e) => e.argv[0] === 'helm');
    expect(helm?.argv.slice(3, 7)).toEqual([
      'hello',
      'oci://ghcr.io/acme/charts/hello-api',
      '--version',
      '1.2.3',
    ]);
    const { error } = await deploy([], {});
    expect(error).toMatchObject({ code: 'HELM_SETTINGS_MISSING', exitCode: 2 });
  });

  // helm v3.16.3 pkg/action/rollback.go: `helm rollback <rel> 0` on revision 1 → `release has no 0 version` (facts §8).
  it('first release: smoke check fails, helm rollback finds no version 0 → failed with the smoke-check cause', async () => {
    const { engine, outcome } = await deploy([
      { argv: SMOKE_SCRIPT, stdout: '500' },
      { argv: /^helm rollback/, exitCode: 1, stderr: 'Error: release has no 0 version' },
    ]);
    expect(engine.execs().find((e) => e.argv[1] === 'rollback')?.argv).toEqual([
      'helm',
      'rollback',
      'hello-api',
      '0',
      '--namespace',
      'staging',
      '--wait',
    ]);
    expect(outcome?.result).toBe('failed');
    expect(outcome?.message).toMatch(/hello-api: smoke check GET \/healthz answered 500, expected 200/);
    expect(outcome?.message).not.toContain('has no 0 version');
  });

  // helm v3.16.3 pkg/chartutil/create.go `<chart>.fullname`: release if it contains the chart name, else
  // `<release>-<chart>`, trunc 63, trimSuffix "-" (facts §9).
  it.each([
    ['hello-api', 'web', 'hello-api-web'],
    ['myapp', 'myapp', 'myapp'],
    ['myapp-prod', 'myapp', 'myapp-prod'],
    [`${'a'.repeat(60)}`, 'chart', `${'a'.repeat(60)}-ch`],
    [`${'a'.repeat(62)}`, 'chart', 'a'.repeat(62)],
  ])('helm create names the Deployment of release %s, chart %s: %s', (release, chart, name) => {
    expect(helmFullname(release, chart)).toBe(name);
  });

  it('smoke-checks the Deployment helm create names (<release>-<chart>), after checking it exists', async () => {
    const chartYaml = (steps: Step[]) =>
      String(steps.findLast((s) => s.field === 'file')?.args.path).endsWith('chart/Chart.yaml')
        ? 'apiVersion: v2\nname: web\nversion: 0.1.0\n'
        : undefined;
    const { engine, outcome } = await runDriver(
      { files: chartYaml, exec: [{ argv: SMOKE_SCRIPT, stdout: '200' }] },
      (r) => helmDriver().deploy(r),
      request(HELM),
    );
    expect(outcome?.result).toBe('deployed');
    const get = engine.execs().find((e) => e.argv.slice(0, 3).join(' ') === 'kubectl get deployment');
    expect(get?.argv).toEqual([
      'kubectl',
      'get',
      'deployment',
      'hello-api-web',
      '-n',
      'staging',
      '-o',
      'name',
    ]);
    expect(get?.image).toBe(IMAGES.kubectl);
    const smoke = engine.execs().find((e) => e.image === IMAGES.curl);
    expect(smoke?.env.SMOKE_DEPLOYMENT).toBe('hello-api-web');
  });

  it('the environment can name the Deployment; a missing one fails the deploy before any smoke check', async () => {
    const named = { helm: { ...HELM.helm, deployment: 'api-server' } };
    const { engine, outcome } = await deploy(
      [
        { argv: /^kubectl get deployment/, exitCode: 1, stderr: 'Error from server (NotFound)' },
        { argv: /^helm rollback/, exitCode: 0 },
      ],
      named,
    );
    expect(engine.execs().find((e) => e.argv[1] === 'get')?.argv[3]).toBe('api-server');
    expect(engine.execs().some((e) => e.image === IMAGES.curl)).toBe(false);
    expect(outcome?.result).toBe('rolled-back');
    expect(outcome?.message).toMatch(/no Deployment api-server in staging.*helm\.deployment/);
  });
});
