import { dag, ReturnType } from '@dagger.io/dagger';
import { parse } from 'yaml';
import { InputError, StageError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { IMAGES } from '../../core/images.ts';
import { kubectl, smokeCheck, withCluster } from './kubectl.ts';
import { combineOutcomes, rollBack } from './rollback.ts';
import type { DeployDriver, DeployImage, DeployOutcome, DeployRequest } from './types.ts';

const WORK = '/work';

/** argv of `helm upgrade --install` pinning the image by digest, atomic, waiting up to the rollout timeout. */
export function helmUpgradeArgs(request: DeployRequest, image: DeployImage, release: string): string[] {
  const { settings } = request;
  const helm = settings.helm;
  if (!helm) throw new InputError('HELM_SETTINGS_MISSING', 'driver helm needs environments.<env>.helm.chart');
  const chart = helm.chart.startsWith('oci://') ? helm.chart : `${WORK}/${helm.chart}`;
  return [
    'helm',
    'upgrade',
    '--install',
    release,
    chart,
    ...(helm.version ? ['--version', helm.version] : []),
    '--namespace',
    request.namespace,
    '--create-namespace',
    '--atomic',
    '--wait',
    '--timeout',
    settings.rolloutTimeout,
    ...helm.values.flatMap((file) => ['--values', `${WORK}/${file}`]),
    '--set',
    `image.repository=${parseImageRef(image.ref).repository}`,
    '--set',
    `image.digest=${parseImageRef(image.ref).digest}`,
  ];
}

/** argv of `helm rollback <release> 0`: revision 0 is the previous one (helm v3.16.3 pkg/action/rollback.go). */
const helmRollbackArgs = (release: string, namespace: string) => [
  'helm',
  'rollback',
  release,
  '0',
  '--namespace',
  namespace,
  '--wait',
];

/**
 * The Deployment name a chart made by `helm create` gives its release (helm v3.16.3 pkg/chartutil/create.go,
 * `<chart>.fullname` in _helpers.tpl): the release name when it contains the chart name, else
 * `<release>-<chart>`, truncated to 63 characters without a trailing dash. Facts §9.
 */
export function helmFullname(release: string, chart: string): string {
  const full = release.includes(chart) ? release : `${release}-${chart}`;
  return full.slice(0, 63).replace(/-+$/, '');
}

/** The chart's name: `name:` of its Chart.yaml (a local chart), or the last path segment of an oci:// chart. */
async function chartName(request: DeployRequest, image: DeployImage, chart: string): Promise<string> {
  if (chart.startsWith('oci://')) return chart.replace(/\/+$/, '').split('/').at(-1) ?? chart;
  const text = await request
    .source(image.component)
    .file(`${chart.replace(/\/+$/, '')}/Chart.yaml`)
    .contents()
    .catch(() => '');
  let named: unknown;
  try {
    named = (parse(text) as { name?: unknown } | null)?.name;
  } catch {
    named = undefined; // an unreadable Chart.yaml: helm itself reports it; fall back to the folder name
  }
  return typeof named === 'string' ? named : (chart.split('/').at(-1) ?? chart);
}

/**
 * Deploys a chart with `helm upgrade --install --atomic --wait --timeout`, the image set by repository and
 * digest. `--atomic` rolls a failed upgrade back itself; a failed smoke check afterwards runs
 * `helm rollback <release> 0` (the previous revision). Either way the outcome is `rolled-back`.
 */
export function helmDriver(): DeployDriver {
  return {
    name: 'helm',
    async deploy(request) {
      const { cluster } = request;
      if (!cluster) throw new StageError('NO_CLUSTER', `no cluster to deploy ${request.environment} to`);
      const outcomes = await Promise.all(request.images.map((image) => deployOne(request, image)));
      return combineOutcomes(outcomes, outcomes.map((o) => o.target).join(', '), request.settings.url);
    },
  };
}

async function deployOne(request: DeployRequest, image: DeployImage): Promise<DeployOutcome> {
  const { cluster, settings, namespace, deployId, log } = request;
  if (!cluster) throw new StageError('NO_CLUSTER', `no cluster to deploy ${request.environment} to`);
  const release = settings.helm?.release ?? image.component.name;
  const target = `${namespace}/${release}`;
  const upgraded = dag
    .container()
    .from(IMAGES.helm)
    .with(withCluster(cluster, deployId))
    .withDirectory(WORK, request.source(image.component))
    .withWorkdir(WORK)
    .withExec(helmUpgradeArgs(request, image, release), { expect: ReturnType.Any });
  log(`${image.component.name}: helm upgrade --install ${release} (${image.ref}) into ${namespace}`);
  if ((await upgraded.exitCode()) !== 0) {
    const output = (await upgraded.stderr()).trim();
    return {
      result: 'rolled-back',
      target,
      message: `helm upgrade of ${release} failed and was rolled back (--atomic): ${output}`,
    };
  }
  const deployment =
    settings.helm?.deployment ??
    helmFullname(release, await chartName(request, image, settings.helm?.chart ?? ''));
  const found = await kubectl(cluster, deployId)
    .withExec(['kubectl', 'get', 'deployment', deployment, '-n', namespace, '-o', 'name'], {
      expect: ReturnType.Any,
    })
    .exitCode();
  if (found !== 0) {
    const missing = `no Deployment ${deployment} in ${namespace} for the smoke check (set environments.${request.environment}.helm.deployment to the chart's Deployment name)`;
    log(`${image.component.name}: ${missing}; rolling back`);
    return rollBack(upgraded, helmRollbackArgs(release, namespace), `${release}: ${missing}`, target);
  }
  const status = await smokeCheck(
    cluster,
    deployId,
    { namespace, deployment, url: settings.url },
    settings.smoke,
  );
  if (status === settings.smoke.status) return { result: 'deployed', target };
  const failure = `smoke check GET ${settings.smoke.path} answered ${status || 'nothing'}, expected ${settings.smoke.status}`;
  log(`${image.component.name}: ${failure}; rolling back`);
  return rollBack(upgraded, helmRollbackArgs(release, namespace), `${release}: ${failure}`, target);
}
