/**
 * Where images are published. A configured registry (address, user, password secret), or — when none is
 * configured — an embedded `registry:2` running as a Dagger service for local runs.
 *
 * Limits of the embedded registry (local runs only): it lives inside the Dagger engine, so nothing outside
 * the engine (your Docker daemon, a real cluster) can pull from it; its storage is a cache volume named
 * after the run, so it survives the service being restarted between publish, sign and deploy but is
 * dropped with the engine's cache; it speaks plain HTTP. The engine pushes to it through
 * `publish({ registryService })` at `localhost:5000` (plain HTTP is allowed for localhost); tool containers
 * (cosign, kubectl) reach it by a service binding under the host name `registry`.
 * Production configs set `registry:` in gantry.yaml instead.
 */
import { type Container, dag, type Secret, type Service } from '@dagger.io/dagger';
import type { GantryConfig } from '../../core/config/schema.ts';
import { IMAGES } from '../../core/images.ts';

/** The address the engine publishes to for the embedded registry. */
export const EMBEDDED_ADDRESS = 'localhost:5000';
/** The host name tool containers reach the embedded registry by. */
export const EMBEDDED_ALIAS = 'registry';

/** A registry images are published to. */
export type RegistryTarget =
  | { kind: 'embedded'; address: typeof EMBEDDED_ADDRESS; service: Service }
  | { kind: 'remote'; address: string; username?: string | undefined; password?: Secret | undefined };

/** The embedded registry as a Dagger service, its storage on a cache volume named after `runId`. */
export function embeddedRegistry(runId: string): Service {
  return dag
    .container()
    .from(IMAGES.registry)
    .withMountedCache('/var/lib/registry', dag.cacheVolume(`gantry-registry-${runId}`))
    .withExposedPort(5000)
    .asService({ useEntrypoint: true });
}

/** The registry of a run: `config.registry`, or the embedded one when none is configured. */
export function registryTarget(config: Pick<GantryConfig, 'registry'>, runId: string): RegistryTarget {
  const { registry } = config;
  if (!registry) return { kind: 'embedded', address: EMBEDDED_ADDRESS, service: embeddedRegistry(runId) };
  return {
    kind: 'remote',
    address: registry.address,
    username: registry.username,
    password: registry.password ? dag.secret(registry.password) : undefined,
  };
}

/** Docker Hub's spellings; Dagger's `parseAuthAddress` (auth/registry.go, v0.21.8) maps each to `docker.io`. */
const DOCKER_HUB = /^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/;

/** The host of a registry address (`ghcr.io/acme` → `ghcr.io`). */
export const registryHost = (address: string): string => address.split('/')[0] ?? address;

/**
 * The address `withRegistryAuth` is given: the registry host, and `docker.io` for Docker Hub, the key Dagger
 * stores and looks Docker Hub credentials up under (v0.21.8 `auth/registry.go` `parseAuthAddress`: "If the
 * address is docker hub related. E.g., registry-1.docker.io, index.docker.io" → `docker.io`). Facts §10.
 */
export function registryAuthAddress(address: string): string {
  const host = registryHost(address);
  return DOCKER_HUB.test(host) ? 'docker.io' : host;
}

/**
 * The `auths` key of a Docker config for a registry host: Docker Hub's is `https://index.docker.io/v1/`
 * (buildkit `session/auth/authprovider/authprovider.go` `dockerHubConfigfileKey`, vendored in Dagger v0.21.8),
 * which the tools' Docker-config readers look up for Docker Hub; any other registry is keyed by its host.
 */
export function dockerConfigKey(host: string): string {
  return DOCKER_HUB.test(host) ? 'https://index.docker.io/v1/' : host;
}

/**
 * Publishes a container as `<address>/<repository>:<tag>`; resolves to `repository@sha256:…`. With
 * `platformVariants` (publish from an empty container) the platforms are published as one multi-platform
 * index and the digest is the index's (Dagger `Container.publish(platformVariants:)`, schema-v0.21.8 line 743).
 */
export function publishImage(
  ctr: Container,
  target: RegistryTarget,
  repository: string,
  tag: string,
  platformVariants: readonly Container[] = [],
): Promise<string> {
  const address = `${target.address}/${repository}:${tag}`;
  const variants = platformVariants.length > 0 ? { platformVariants: [...platformVariants] } : {};
  if (target.kind === 'embedded')
    return ctr.publish(address, { registryService: target.service, ...variants });
  const { username, password } = target;
  const authed =
    username && password
      ? ctr.withRegistryAuth(registryAuthAddress(target.address), username, password)
      : ctr;
  return authed.publish(address, variants);
}

/** The reference a tool container uses for an image: the embedded registry is reached by its alias. */
export function toolRef(target: RegistryTarget, ref: string): string {
  if (target.kind !== 'embedded' || !ref.startsWith(`${EMBEDDED_ADDRESS}/`)) return ref;
  return `${EMBEDDED_ALIAS}:5000/${ref.slice(EMBEDDED_ADDRESS.length + 1)}`;
}

/**
 * Gives a tool container access to the registry: a service binding for the embedded one; for a remote one
 * with credentials, a Docker config (`auths`) mounted as a secret at `$DOCKER_CONFIG/config.json`. The
 * password is read from its secret only to build that secret and never leaves memory otherwise.
 */
export async function registryAccess(
  target: RegistryTarget,
  owner = '0',
): Promise<(ctr: Container) => Container> {
  if (target.kind === 'embedded') {
    return (ctr) => ctr.withServiceBinding(EMBEDDED_ALIAS, target.service);
  }
  const { username, password } = target;
  if (!username || !password) return (ctr) => ctr;
  const host = registryHost(target.address);
  const auth = Buffer.from(`${username}:${await password.plaintext()}`).toString('base64');
  const config = dag.setSecret(
    `gantry-docker-config-${host}`,
    JSON.stringify({ auths: { [dockerConfigKey(host)]: { auth } } }),
  );
  return (ctr) =>
    ctr
      .withEnvVariable('DOCKER_CONFIG', '/gantry/docker')
      .withMountedSecret('/gantry/docker/config.json', config, { owner });
}
