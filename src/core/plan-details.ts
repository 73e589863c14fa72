/**
 * What each standard stage will do for a given gantry.yaml: the components, images, commands, registry and
 * environments `gantry plan` shows. Pure: toolchains are resolved by the caller (they depend on lockfiles).
 */
import { type Component, type Environment, type GantryConfig, requiresApproval } from './config/schema.ts';
import { IMAGES } from './images.ts';
import type { Toolchain } from './toolchains.ts';

/** The ephemeral registry a run starts when gantry.yaml configures none (see src/dagger/services/registry.ts). */
export const EMBEDDED_REGISTRY = 'localhost:5000 (embedded, ephemeral: local runs only)';

/** One component as a stage sees it. */
export interface ComponentDetail {
  name: string;
  /** Folder, relative to the repository root. */
  path: string;
  /** The container image the stage runs for this component (toolchain, or the built repository). */
  image?: string | undefined;
  /** argv of each command the stage runs for this component, in order. */
  commands?: string[][] | undefined;
  /** A file the stage reads or writes for this component (Dockerfile, JUnit report). */
  file?: string | undefined;
}

/** An environment as its deploy or approve stage sees it. */
export interface EnvironmentDetail {
  name: string;
  driver: Environment['driver'];
  /** Kubernetes namespace, Helm release namespace, or GitOps repository and file. */
  target: string;
  /** Whether the deploy needs an approval of the exact digests. */
  approval: boolean;
  url?: string | undefined;
  /** Kustomize overlay or chart, relative to each component folder (GitOps: file in the GitOps repository). */
  source?: string | undefined;
  /** Cluster: `embedded k3s` or `kubeconfig secret`. */
  cluster?: string | undefined;
  /** The smoke check after a cluster deploy: `GET <path> on port <port> → <status>`. */
  smoke?: string | undefined;
}

/** What one stage will do. */
export interface StageDetail {
  /** One line on what the stage does. */
  description: string;
  /** Per component. */
  components?: ComponentDetail[] | undefined;
  /** Tool images the stage runs (scanners, cosign). */
  tools?: string[] | undefined;
  /** Where images are published and deployed from. */
  registry?: string | undefined;
  /** The environment a deploy or approve stage acts on. */
  environment?: EnvironmentDetail | undefined;
}

/** A custom stage's own description, by name, for stages that are not standard. */
export type CustomDescriptions = Readonly<Record<string, string | undefined>>;

/**
 * Per-stage details of the standard stages for `config`, keyed by stage name (`deploy-<env>` and
 * `approve-<env>` per gated environment).
 * Custom stages get their description from `custom`.
 */
export function describeStages(
  config: GantryConfig,
  toolchains: Readonly<Record<string, Toolchain>>,
  custom: CustomDescriptions = {},
): Record<string, StageDetail> {
  const registry = config.registry?.address ?? EMBEDDED_REGISTRY;
  const each = (fn: (c: Component, t: Toolchain | undefined) => Omit<ComponentDetail, 'name' | 'path'>) =>
    config.components.map((c) => ({ name: c.name, path: c.path, ...fn(c, toolchains[c.name]) }));
  const details: Record<string, StageDetail> = {
    checkout: {
      description: 'the repository source (git-ignored files excluded); records commit, ref and dirty flag',
      components: each(() => ({})),
    },
    deps: {
      description:
        "installs each component's dependencies in its toolchain image (cache keyed on the lockfile)",
      components: each((_, t) => ({ image: t?.image, commands: t?.install, file: t?.lockfile })),
    },
    test: {
      description: "runs each component's tests and collects its JUnit report",
      components: each((c, t) => ({ image: t?.image, commands: t?.test, file: `${c.path}/${c.junit}` })),
    },
    scan: {
      description: `Trivy filesystem scan and Semgrep SAST, gated by ${config.policy}`,
      tools: [IMAGES.trivy, IMAGES.semgrep],
    },
    build: {
      description: 'builds each image, scans it before publishing, makes an SBOM, publishes by digest',
      components: each((c) => ({
        image: `${registry.split(' ')[0]}/${c.image ?? c.name}`,
        file: `${c.path}/${c.dockerfile}`,
      })),
      tools: [IMAGES.trivy],
      registry,
    },
    sign: {
      description: `cosign signature and attestations of each digest (signing: ${config.signing.mode})`,
      tools: [IMAGES.cosign],
      registry,
    },
  };
  for (const settings of config.environments) {
    const { name } = settings;
    const environment = describeEnvironment(settings);
    if (environment.approval) {
      const approve: StageDetail = {
        description: `an approval of the exact digests before deploying to ${name}`,
        environment,
      };
      details[`approve-${name}`] = approve;
    }
    details[`deploy-${name}`] = {
      description: `verifies signatures, deploys the digests to ${name} with ${settings.driver}, smoke-checks, rolls back on failure`,
      components: each((c) => ({ image: `${registry.split(' ')[0]}/${c.image ?? c.name}@sha256:…` })),
      registry,
      environment,
    };
  }
  for (const [name, description] of Object.entries(custom))
    if (!(name in details)) details[name] = { description: description ?? 'team stage' };
  return details;
}

function describeEnvironment(settings: Environment): EnvironmentDetail {
  const { name } = settings;
  const base = { name, driver: settings.driver, approval: requiresApproval(settings), url: settings.url };
  const cluster = settings.kubeconfig ? 'kubeconfig secret' : 'embedded k3s';
  const namespace = settings.namespace ?? name;
  const { path, port, status } = settings.smoke;
  const smoke = `GET ${path} on port ${port} → ${status}`;
  switch (settings.driver) {
    case 'gitops':
      return {
        ...base,
        target: settings.gitops
          ? `${settings.gitops.repository} (${settings.gitops.branch})`
          : 'not configured',
        source: settings.gitops?.file,
      };
    case 'helm':
      return { ...base, target: `namespace ${namespace}`, source: settings.helm?.chart, cluster, smoke };
    case 'kubernetes':
      return { ...base, target: `namespace ${namespace}`, source: settings.kustomize ?? '.', cluster, smoke };
    default:
      return { ...base, target: `custom driver ${settings.driver}`, cluster };
  }
}

/** Indented lines under a stage in `gantry plan`'s text output. */
export function renderStageDetail(detail: StageDetail, indent = '      '): string[] {
  const lines = [`${indent}${detail.description}`];
  for (const c of detail.components ?? []) {
    const parts = [c.image && `image ${c.image}`, c.file && `file ${c.file}`].filter(Boolean);
    lines.push(`${indent}- ${c.name} (${c.path})${parts.length ? `: ${parts.join(', ')}` : ''}`);
    for (const argv of c.commands ?? []) lines.push(`${indent}    $ ${argv.join(' ')}`);
  }
  if (detail.tools?.length) lines.push(`${indent}tools: ${detail.tools.join(', ')}`);
  if (detail.registry) lines.push(`${indent}registry: ${detail.registry}`);
  const env = detail.environment;
  if (env) {
    const parts = [
      `driver ${env.driver}`,
      env.target,
      env.source && `from ${env.source}`,
      env.cluster,
      env.smoke && `smoke ${env.smoke}`,
      env.approval ? 'approval required' : 'no approval',
      env.url && `url ${env.url}`,
    ].filter(Boolean);
    lines.push(`${indent}environment ${env.name}: ${parts.join(', ')}`);
  }
  return lines;
}
