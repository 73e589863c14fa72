import { type Directory, ReturnType } from '@dagger.io/dagger';
import {
  kustomizationNamespace,
  pinKustomizationImage,
  setKustomizationNamespace,
} from '../../core/deploy/gitops-edit.ts';
import { InputError, StageError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { kubectl, smokeCheck } from './kubectl.ts';
import { combineOutcomes, rollBack } from './rollback.ts';
import type { Cluster, DeployDriver, DeployImage, DeployOutcome, DeployRequest } from './types.ts';

/** Where the component's source is copied in the kubectl container. */
const WORK = '/work';
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Deploys with kustomize and kubectl: the overlay's kustomization gets an `images:` entry pinning the
 * component (kustomize image `name` = component name) to `repository` + `digest`, then `kubectl apply -k`,
 * `kubectl rollout status --timeout`, and a smoke check. When the rollout or the smoke check fails,
 * `kubectl rollout undo` restores the previous ReplicaSet and the outcome is `rolled-back`.
 * The Deployment is expected to be named after the component.
 */
export function kubernetesDriver(): DeployDriver {
  return {
    name: 'kubernetes',
    async deploy(request) {
      const { cluster } = request;
      if (!cluster) throw new StageError('NO_CLUSTER', `no cluster to deploy ${request.environment} to`);
      const outcomes = await Promise.all(request.images.map((image) => deployOne(request, cluster, image)));
      return combineOutcomes(
        outcomes,
        [...new Set(outcomes.map((o) => o.target))].join(', '),
        request.settings.url,
      );
    },
  };
}

async function readKustomization(source: Directory, dir: string): Promise<{ file: string; text: string }> {
  for (const name of KUSTOMIZATION_NAMES) {
    const file = `${dir}/${name}`;
    const text = await source
      .file(file)
      .contents()
      .catch(() => '');
    if (text.trim().length > 0) return { file, text };
  }
  throw new InputError('KUSTOMIZATION_MISSING', `no kustomization.yaml in ${dir}`, {
    hint: 'set environments.<env>.kustomize to the overlay directory, relative to the component path',
  });
}

async function deployOne(
  request: DeployRequest,
  cluster: Cluster,
  image: DeployImage,
): Promise<DeployOutcome> {
  const { settings, deployId, log } = request;
  const { component } = image;
  const dir = (settings.kustomize ?? '.').replace(/\/+$/, '');
  const source = request.source(component);
  const kustomization = await readKustomization(source, dir);
  const namespace = settings.namespace ?? kustomizationNamespace(kustomization.text) ?? request.namespace;
  const pinned = setKustomizationNamespace(
    pinKustomizationImage(
      kustomization.text,
      { name: component.name, ...pinOf(image.ref) },
      kustomization.file,
    ),
    namespace,
    kustomization.file,
  );
  const deployment = `deployment/${component.name}`;
  const applied = kubectl(cluster, deployId)
    .withDirectory(WORK, source)
    .withNewFile(`${WORK}/${kustomization.file}`, pinned)
    .withWorkdir(WORK)
    .withExec(['kubectl', 'apply', '-k', dir]);
  log(`${component.name}: kubectl apply -k ${dir} (${image.ref}) into ${namespace}`);
  const rollout = applied.withExec(
    ['kubectl', 'rollout', 'status', deployment, '-n', namespace, `--timeout=${settings.rolloutTimeout}`],
    { expect: ReturnType.Any },
  );
  let failure: string | undefined;
  if ((await rollout.exitCode()) !== 0) {
    failure = `${deployment} in ${namespace} did not become ready within ${settings.rolloutTimeout}: ${(await rollout.stderr()).trim()}`;
  } else {
    const status = await smokeCheck(
      cluster,
      deployId,
      { namespace, deployment: component.name, url: request.settings.url },
      settings.smoke,
    );
    if (status !== settings.smoke.status)
      failure = `smoke check GET ${settings.smoke.path} answered ${status || 'nothing'}, expected ${settings.smoke.status}`;
  }
  if (failure) {
    log(`${component.name}: ${failure}; rolling back`);
    const undo = ['kubectl', 'rollout', 'undo', deployment, '-n', namespace];
    return rollBack(rollout, undo, `${component.name}: ${failure}`, namespace);
  }
  return { result: 'deployed', target: namespace };
}

/** Repository and digest of the verified reference, the only source of what is pinned. */
function pinOf(ref: string): { repository: string; digest: string } {
  const { repository, digest } = parseImageRef(ref);
  return { repository, digest };
}
