import { dag, ReturnType } from '@dagger.io/dagger';
import { InputError, StageError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { IMAGES } from '../../core/images.ts';
import { smokeCheck, withCluster } from './kubectl.ts';
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
      const failed = outcomes.filter((o) => o.result !== 'deployed');
      return {
        result: failed.length > 0 ? 'rolled-back' : 'deployed',
        target: outcomes.map((o) => o.target).join(', '),
        url: request.settings.url,
        message: failed.map((o) => o.message).join('; ') || undefined,
      };
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
  const status = await smokeCheck(
    cluster,
    deployId,
    { namespace, deployment: release, url: settings.url },
    settings.smoke,
  );
  if (status === settings.smoke.status) return { result: 'deployed', target };
  const failure = `smoke check GET ${settings.smoke.path} answered ${status || 'nothing'}, expected ${settings.smoke.status}`;
  log(`${image.component.name}: ${failure}; rolling back`);
  await upgraded.withExec(['helm', 'rollback', release, '0', '--namespace', namespace, '--wait']).sync();
  return { result: 'rolled-back', target, message: `${release}: ${failure}` };
}
