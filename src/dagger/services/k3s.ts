/**
 * An embedded Kubernetes cluster for local runs: k3s as a Dagger service, used when an environment has no
 * `kubeconfig`. It lives inside the Dagger engine for one run (its state on temporary mounts, its kubeconfig
 * on a cache volume named after the run and process); each environment deploys into its own namespace. It pulls the run's
 * images from the embedded registry through a `registries.yaml` mirror (`localhost:5000` → the `registry`
 * service, plain HTTP). Production configs set `environments.<env>.kubeconfig` (a secret reference) instead.
 */
import { dag, type Service } from '@dagger.io/dagger';
import { IMAGES } from '../../core/images.ts';
import { CLUSTER_ALIAS } from '../drivers/kubectl.ts';
import type { Cluster } from '../drivers/types.ts';
import { freshId, freshPerRun } from '../fresh.ts';
import { EMBEDDED_ADDRESS, EMBEDDED_ALIAS } from './registry.ts';

/** Where k3s writes its kubeconfig (a cache volume shared with the container that reads it). */
export const K3S_KUBECONFIG_DIR = '/gantry/k3s';
const KUBECONFIG_FILE = `${K3S_KUBECONFIG_DIR}/kubeconfig.yaml`;

/** Options of {@link k3sServer} and {@link embeddedCluster}. */
export interface K3sOptions {
  /** The embedded registry service, mirrored for `localhost:5000` images. @default none */
  registry?: Service | undefined;
  /** Image to run. @default IMAGES.k3s */
  image?: string;
}

/** `registries.yaml` that sends pulls of `localhost:5000/…` to the embedded registry service over HTTP. */
export function registriesYaml(): string {
  return `mirrors:\n  "${EMBEDDED_ADDRESS}":\n    endpoint:\n      - "http://${EMBEDDED_ALIAS}:5000"\n`;
}

/** argv of the k3s server: no ingress or metrics add-ons, a certificate valid for the service's host name. */
export const K3S_SERVER_ARGS = [
  'server',
  '--disable=traefik',
  '--disable=metrics-server',
  `--tls-san=${CLUSTER_ALIAS}`,
  `--write-kubeconfig=${KUBECONFIG_FILE}`,
  '--write-kubeconfig-mode=644',
  '--egress-selector-mode=disabled',
];

/** The kubeconfig volume of one k3s start. */
const kubeconfigVolume = (startId: string) => dag.cacheVolume(`gantry-k3s-${startId}`);

/**
 * The k3s server as a Dagger service (privileged: k3s runs containerd and manages cgroups). `noInit`: k3s only
 * evacuates the cgroup v2 root (to enable `subtree_control` for its pods) when it is PID 1
 * (k3s `pkg/cli/cmds/init_linux.go` `EvacuateCgroup2`: `if os.Getpid() == 1`), and Dagger injects an init
 * unless `asService(noInit: true)` (Dagger v0.21.8 schema: "skip the automatic init process ... the exec
 * process be the pid 1 process"). The Daggerverse k3s module gets the same result with an entrypoint script.
 */
export function k3sServer(startId: string, options: K3sOptions = {}): Service {
  const { registry, image = IMAGES.k3s } = options;
  const ctr = dag
    .container()
    .from(image)
    .withNewFile('/etc/rancher/k3s/registries.yaml', registriesYaml())
    .withMountedCache(K3S_KUBECONFIG_DIR, kubeconfigVolume(startId))
    .withMountedTemp('/var/lib/rancher/k3s')
    .withMountedTemp('/var/lib/kubelet')
    .withMountedTemp('/var/lib/cni')
    .withMountedTemp('/var/log')
    .withExposedPort(6443);
  return (registry ? ctr.withServiceBinding(EMBEDDED_ALIAS, registry) : ctr).asService({
    args: K3S_SERVER_ARGS,
    useEntrypoint: true,
    insecureRootCapabilities: true,
    noInit: true,
  });
}

/** Waits for the kubeconfig k3s wrote and prints it with the server address changed to the service's host name. */
export const READ_KUBECONFIG = [
  'sh',
  '-c',
  `i=0; until [ -s ${KUBECONFIG_FILE} ]; do i=$((i+1)); [ $i -gt 120 ] && echo "k3s wrote no kubeconfig in 120s" >&2 && exit 1; sleep 1; done; ` +
    `sed "s#https://127.0.0.1:6443#https://${CLUSTER_ALIAS}:6443#" ${KUBECONFIG_FILE}`,
];

const started = new Map<string, Promise<Cluster>>();

/**
 * The embedded cluster of a run: starts the k3s service (once per run and process; it stays up for every
 * later deploy of the run), reads its kubeconfig from the service's kubeconfig volume and keeps it only as a
 * Dagger secret. The volume and the read are keyed by this start (run id + process id): a resumed run
 * (`--from deploy-staging` in a new process) starts a new k3s with new certificates, and must neither find
 * the previous process's kubeconfig on the volume nor get the previous read answered from Dagger's cache.
 */
export function embeddedCluster(runId: string, options: K3sOptions = {}): Promise<Cluster> {
  const known = started.get(runId);
  if (known) return known;
  const cluster = (async (): Promise<Cluster> => {
    const startId = freshId(runId);
    const service = await k3sServer(startId, options).start();
    const kubeconfig = await dag
      .container()
      .from(options.image ?? IMAGES.k3s)
      .withMountedCache(K3S_KUBECONFIG_DIR, kubeconfigVolume(startId))
      .withServiceBinding(CLUSTER_ALIAS, service)
      .with(freshPerRun(runId))
      .withExec(READ_KUBECONFIG)
      .stdout();
    return { kubeconfig: dag.setSecret(`gantry-k3s-kubeconfig-${startId}`, kubeconfig), service };
  })();
  started.set(runId, cluster);
  cluster.catch(() => started.delete(runId));
  return cluster;
}
