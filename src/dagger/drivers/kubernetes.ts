import { posix } from 'node:path';
import { type Container, type Directory, ReturnType } from '@dagger.io/dagger';
import { smokeOf } from '../../core/config/schema.ts';
import {
  kustomizationNamespace,
  pinKustomizationImage,
  setKustomizationNamespace,
} from '../../core/deploy/gitops-edit.ts';
import { InputError, StageError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { kubectl, smokeCheck } from './kubectl.ts';
import { rollBack } from './rollback.ts';
import type { Cluster, DeployDriver, DeployImage, DeployOutcome, DeployRequest } from './types.ts';

/** Where the mounted folder (component folder, or the repository part holding component and overlay) sits. */
const WORK = '/work';
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The components that resolve to one kustomize overlay, applied together once.
 * `overlay` is relative to the repository root; `root` is the folder mounted for kubectl (the smallest folder
 * holding the overlay and every component of the group), `dir` the overlay relative to `root`.
 */
export interface OverlayGroup {
  overlay: string;
  root: string;
  dir: string;
  images: DeployImage[];
}

const clean = (path: string) => {
  const p = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  return p === '' ? '.' : p;
};

/** The deepest folder containing both (repository-relative, normalized) paths. */
function commonFolder(a: string, b: string): string {
  const pa = a === '.' ? [] : a.split('/');
  const pb = b === '.' ? [] : b.split('/');
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i++) out.push(pa[i] as string);
  return out.length === 0 ? '.' : out.join('/');
}

/**
 * Groups the images by the overlay they resolve to: `kustomize` is relative to each component's folder
 * (the documented default), and may lead out of it, but not out of the repository.
 */
export function overlayGroups(images: readonly DeployImage[], kustomize: string | undefined): OverlayGroup[] {
  const groups = new Map<string, OverlayGroup>();
  for (const image of images) {
    const folder = clean(image.component.path);
    const overlay = clean(posix.join(folder, kustomize ?? '.'));
    if (overlay === '..' || overlay.startsWith('../') || posix.isAbsolute(overlay)) {
      throw new InputError(
        'KUSTOMIZE_OUTSIDE_REPO',
        `the kustomize overlay of ${image.component.name} (${kustomize} from ${folder}) leads out of the repository`,
        {
          hint: 'set environments.<env>.kustomize to a folder inside the repository, relative to the component path',
        },
      );
    }
    const group = groups.get(overlay) ?? { overlay, root: overlay, dir: '.', images: [] };
    group.root = commonFolder(group.root, folder);
    group.images.push(image);
    groups.set(overlay, group);
  }
  return [...groups.values()].map((g) => ({ ...g, dir: clean(posix.relative(g.root, g.overlay)) }));
}

/**
 * Deploys with kustomize and kubectl. Components are grouped by the overlay they resolve to; each overlay is
 * applied once (`kubectl apply -k`) with an `images:` entry for every image of the release (kustomize image
 * `name` = component name → `newName` + `digest`). Then `kubectl rollout status --timeout` for each
 * component's Deployment (named after the component) and its smoke check (the environment's, unless the
 * component overrides or disables it). All or nothing: when any rollout or smoke check fails, every Deployment
 * applied in this deploy is undone (`kubectl rollout undo`) and the outcome carries the original cause.
 */
export function kubernetesDriver(): DeployDriver {
  return {
    name: 'kubernetes',
    async deploy(request) {
      const { cluster } = request;
      if (!cluster) throw new StageError('NO_CLUSTER', `no cluster to deploy ${request.environment} to`);
      const groups = overlayGroups(request.images, request.settings.kustomize);
      const results = await Promise.allSettled(groups.map((g) => deployGroup(request, cluster, g)));
      const applied = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failures = applied.flatMap((a) => a.failures);
      const error = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const target = [...new Set(applied.map((a) => a.namespace))].join(', ') || request.namespace;
      if (!error && failures.length === 0) return { result: 'deployed', target, url: request.settings.url };
      const cause = failures.join('; ') || 'another overlay failed to apply';
      request.log(`${cause}; rolling back ${applied.flatMap((a) => a.deployments).join(', ') || 'nothing'}`);
      const undone = await undoAll(applied, cause);
      if (error) throw error.reason;
      return undone;
    },
  };
}

async function readKustomization(source: Directory, dir: string): Promise<{ file: string; text: string }> {
  for (const name of KUSTOMIZATION_NAMES) {
    const file = dir === '.' ? name : `${dir}/${name}`;
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

/** One applied overlay: the container it was applied in, its Deployments and what failed. */
interface Applied {
  ctr: Container;
  namespace: string;
  deployments: string[];
  failures: string[];
}

/** The folder mounted for a group: the component folder itself when it holds the overlay, else the repository part. */
function mountOf(request: DeployRequest, group: OverlayGroup): Directory {
  const first = group.images[0] as DeployImage;
  if (group.images.every((i) => clean(i.component.path) === group.root))
    return request.source(first.component);
  if (!request.repo) {
    throw new InputError(
      'KUSTOMIZE_OUTSIDE_COMPONENT',
      `the kustomize overlay ${group.overlay} is outside the folder of ${first.component.name}, and this deploy has no repository access`,
      { hint: 'give the deploy request a repo() folder, or keep the overlay inside the component folder' },
    );
  }
  return request.repo(group.root);
}

async function deployGroup(request: DeployRequest, cluster: Cluster, group: OverlayGroup): Promise<Applied> {
  const { settings, deployId, log } = request;
  const source = mountOf(request, group);
  const kustomization = await readKustomization(source, group.dir);
  const namespace = settings.namespace ?? kustomizationNamespace(kustomization.text) ?? request.namespace;
  // Every image of the release is pinned in every overlay: one overlay may hold several components.
  const pinned = setKustomizationNamespace(
    request.images.reduce(
      (text, image) =>
        pinKustomizationImage(text, { name: image.component.name, ...pinOf(image.ref) }, kustomization.file),
      kustomization.text,
    ),
    namespace,
    kustomization.file,
  );
  const ctr = kubectl(cluster, deployId)
    .withDirectory(WORK, source)
    .withNewFile(`${WORK}/${kustomization.file}`, pinned)
    .withWorkdir(WORK)
    .withExec(['kubectl', 'apply', '-k', group.dir]);
  log(`kubectl apply -k ${group.overlay} (${group.images.map((i) => i.ref).join(', ')}) into ${namespace}`);
  await ctr.sync();
  const deployments = group.images.map((i) => `deployment/${i.component.name}`);
  const failures = (
    await Promise.all(group.images.map((image) => checkOne(request, cluster, ctr, namespace, image)))
  ).flatMap((f) => (f ? [f] : []));
  return { ctr, namespace, deployments, failures };
}

/** Waits for one component's rollout, then smoke-checks it; resolves to why it failed, if it did. */
async function checkOne(
  request: DeployRequest,
  cluster: Cluster,
  applied: Container,
  namespace: string,
  image: DeployImage,
): Promise<string | undefined> {
  const { settings, deployId, log } = request;
  const { component } = image;
  const deployment = `deployment/${component.name}`;
  const rollout = applied.withExec(
    ['kubectl', 'rollout', 'status', deployment, '-n', namespace, `--timeout=${settings.rolloutTimeout}`],
    { expect: ReturnType.Any },
  );
  if ((await rollout.exitCode()) !== 0) {
    return `${component.name}: ${deployment} in ${namespace} did not become ready within ${settings.rolloutTimeout}: ${(await rollout.stderr()).trim()}`;
  }
  const smoke = smokeOf(component, settings);
  if (!smoke) {
    log(`${component.name}: no smoke check (smoke: false)`);
    return undefined;
  }
  const status = await smokeCheck(
    cluster,
    deployId,
    { namespace, deployment: component.name, url: component.smoke ? undefined : settings.url },
    smoke,
  );
  if (status === smoke.status) return undefined;
  return `${component.name}: smoke check GET ${smoke.path} answered ${status || 'nothing'}, expected ${smoke.status}`;
}

/**
 * Undoes every applied Deployment (each in the container its overlay was applied in). All undone →
 * `rolled-back`; some had no earlier revision (first deploy) → `failed`; an undo failing otherwise → the
 * ROLLBACK_FAILED error of the first, after every undo was tried. The message is the original cause.
 */
async function undoAll(applied: readonly Applied[], cause: string): Promise<DeployOutcome> {
  const undos = applied.flatMap((a) =>
    a.deployments.map((d) =>
      rollBack(a.ctr, ['kubectl', 'rollout', 'undo', d, '-n', a.namespace], cause, a.namespace),
    ),
  );
  const results = await Promise.allSettled(undos);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  const outcomes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const target = [...new Set(applied.map((a) => a.namespace))].join(', ');
  const firstDeploy = outcomes.some((o) => o.result === 'failed');
  return firstDeploy
    ? { result: 'failed', target, message: `${cause} (first deploy: no earlier revision to roll back to)` }
    : { result: 'rolled-back', target, message: cause };
}

/** Repository and digest of the verified reference, the only source of what is pinned. */
function pinOf(ref: string): { repository: string; digest: string } {
  const { repository, digest } = parseImageRef(ref);
  return { repository, digest };
}
