import { type Container, dag, ReturnType } from '@dagger.io/dagger';
import type { Environment } from '../../core/config/schema.ts';
import { IMAGES } from '../../core/images.ts';
import type { Cluster } from './types.ts';

/** Host name the embedded k3s service is bound under in tool containers. */
export const CLUSTER_ALIAS = 'k3s';
/** Where the kubeconfig secret is mounted. */
export const KUBECONFIG_PATH = '/gantry/kube/config';
/**
 * The uid `registry.k8s.io/kubectl` runs as (its Dockerfile, kubernetes `build/server-image/kubectl/Dockerfile`,
 * sets no `USER`, so root); the kubeconfig is given to it.
 */
export const KUBECTL_UID = '0';
/** The uid `curlimages/curl` runs as. */
export const CURL_UID = '100';
/**
 * Where `kubectl` lives in `registry.k8s.io/kubectl` (`COPY ${BINARY} /bin/`, `ENTRYPOINT ["/bin/kubectl"]`);
 * copied into the smoke-check container, since the kubectl image has no curl.
 */
export const KUBECTL_BIN = '/bin/kubectl';

/**
 * Gives a tool container the cluster: the kubeconfig as a secret file (owned by `owner`), `KUBECONFIG`
 * pointing at it, the embedded k3s bound by its host name, and `deployId` so cluster-changing commands
 * are never answered from Dagger's cache.
 */
export function withCluster(cluster: Cluster, deployId: string, owner = '0'): (ctr: Container) => Container {
  return (ctr) => {
    const bound = cluster.service ? ctr.withServiceBinding(CLUSTER_ALIAS, cluster.service) : ctr;
    return bound
      .withMountedSecret(KUBECONFIG_PATH, cluster.kubeconfig, { owner })
      .withEnvVariable('KUBECONFIG', KUBECONFIG_PATH)
      .withEnvVariable('GANTRY_DEPLOY_ID', deployId);
  };
}

/** The kubectl container with cluster access. */
export function kubectl(cluster: Cluster, deployId: string): Container {
  return dag
    .container()
    .from(IMAGES.kubectl)
    .with(withCluster(cluster, deployId, KUBECTL_UID));
}

/** What a smoke check is aimed at. */
export interface SmokeTarget {
  namespace: string;
  /** The Deployment whose pods are checked through `kubectl port-forward`. */
  deployment: string;
  /** A public URL to check instead (the environment's `url`), when set. */
  url?: string | undefined;
}

/** The argv of the smoke check; the target values are passed as environment variables, never spliced into the script. */
export const SMOKE_SCRIPT = [
  'sh',
  '-c',
  [
    'if [ -n "$SMOKE_URL" ]; then target="$SMOKE_URL"; else',
    '  kubectl port-forward -n "$SMOKE_NAMESPACE" "deployment/$SMOKE_DEPLOYMENT" "18080:$SMOKE_PORT" >/tmp/port-forward.log 2>&1 &',
    '  target="http://127.0.0.1:18080"; fi',
    'curl -sS -o /dev/null -w "%{http_code}" --retry 10 --retry-connrefused --retry-delay 1 --max-time 10 "$target$SMOKE_PATH"',
  ].join('\n'),
];

/**
 * A smoke check: curl (in its pinned container, with kubectl copied in for `port-forward`) requests the
 * check's path on the deployment's pods, or on the environment's public URL when one is set. Resolves to
 * the HTTP status (0 when nothing answered).
 */
export async function smokeCheck(
  cluster: Cluster,
  deployId: string,
  target: SmokeTarget,
  smoke: Environment['smoke'],
): Promise<number> {
  const ctr = dag
    .container()
    .from(IMAGES.curl)
    .withFile('/usr/local/bin/kubectl', dag.container().from(IMAGES.kubectl).file(KUBECTL_BIN))
    .with(withCluster(cluster, deployId, CURL_UID))
    .withEnvVariable('SMOKE_URL', (target.url ?? '').replace(/\/+$/, ''))
    .withEnvVariable('SMOKE_NAMESPACE', target.namespace)
    .withEnvVariable('SMOKE_DEPLOYMENT', target.deployment)
    .withEnvVariable('SMOKE_PORT', String(smoke.port))
    .withEnvVariable('SMOKE_PATH', smoke.path)
    .withExec(SMOKE_SCRIPT, { expect: ReturnType.Any });
  const out = (await ctr.stdout()).trim();
  return /^\d{3}$/.test(out) ? Number(out) : 0;
}
