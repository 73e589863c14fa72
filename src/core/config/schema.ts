import { z } from 'zod';
import { ScanSettings } from './scan.ts';
import { SecretRef } from './secret.ts';

const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'use lowercase letters, digits and dashes (a DNS label)',
});

const command = z
  .array(z.string().min(1))
  .min(1)
  .meta({ description: 'argv of one command, run without a shell' });

/** A toolchain preset picked by name; the preset knows its image, install and test commands. */
export const ToolchainPreset = z.enum(['node', 'python', 'go']);

/** A custom toolchain: an image and the commands to install dependencies and run the tests. */
export const CustomToolchain = z.strictObject({
  image: z
    .string()
    .min(1)
    .meta({ description: 'container image, pinned by version (and digest if you can)' }),
  install: z.array(command).default([]).meta({ description: 'commands that install dependencies' }),
  test: z.array(command).default([]).meta({ description: 'commands that run the tests' }),
  lockfile: z.string().optional().meta({ description: 'file whose hash keys the dependency cache' }),
  cache: z.array(z.string()).default([]).meta({ description: 'absolute paths kept in cache volumes' }),
});

/** How a component's image is built (all optional; `docker build` of the component folder by default). */
export const BuildOptions = z.strictObject({
  context: z
    .string()
    .regex(/^(?!\/)(?!(.*\/)?\.\.(\/|$))[^\\]+$/, {
      error: 'a folder inside the repository, relative to its root, without ".."',
    })
    .optional()
    .meta({
      description:
        'build context, relative to the repository root and inside it; default: the component path. The Dockerfile stays relative to the component path',
    }),
  args: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .meta({
      description:
        'build args (ARG), plain values only: they stay readable in the image history; use secrets for credentials',
    }),
  secrets: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]+$/), SecretRef)
    .default({})
    .meta({
      description:
        'build secrets by id (RUN --mount=type=secret,id=<id>), each a secret reference; mounted at /run/secrets/<id>',
    }),
  target: z.string().min(1).optional().meta({ description: 'Dockerfile stage to build' }),
  platforms: z
    .array(
      z.string().regex(/^linux\/(amd64|arm64|arm\/v7|arm\/v6|386|ppc64le|s390x|riscv64)$/, {
        error: 'a platform such as linux/amd64 or linux/arm64',
      }),
    )
    .default([])
    .meta({
      description:
        "platforms of a multi-arch image, one build each, published as one index digest; the image scan covers the first; default: the engine's platform",
    }),
});

/** A smoke check run against the deployed service. */
export const SmokeCheck = z.strictObject({
  path: z.string().startsWith('/').default('/healthz').meta({ description: 'HTTP path requested' }),
  status: z.number().int().min(100).max(599).default(200).meta({ description: 'expected HTTP status' }),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(8080)
    .meta({ description: 'container port of the Deployment, reached through kubectl port-forward' }),
});

/**
 * A component's own smoke check: `false` for a component without HTTP (a worker), or fields that replace the
 * environment's `smoke` for this component (the rest is taken from the environment).
 */
export const ComponentSmoke = z.union([
  z.literal(false),
  z.strictObject({
    path: z.string().startsWith('/').optional().meta({ description: 'HTTP path requested' }),
    status: z.number().int().min(100).max(599).optional().meta({ description: 'expected HTTP status' }),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .meta({ description: 'container port of the Deployment' }),
  }),
]);

/** One deployable unit of the repository: a service with its toolchain, tests and image. */
export const Component = z.strictObject({
  name: name.meta({
    description:
      'component name; also the name of its Kubernetes Deployment and of the kustomize image the deploy pins',
  }),
  path: z
    .string()
    .min(1)
    .default('.')
    .meta({ description: 'directory of the component, relative to the repo root' }),
  toolchain: z.union([ToolchainPreset, CustomToolchain]).default('node'),
  dockerfile: z.string().min(1).default('Dockerfile').meta({ description: 'relative to the component path' }),
  image: z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, {
      error: 'an image repository name without registry, tag or digest',
    })
    .optional()
    .meta({ description: 'repository name under the registry; default: the component name' }),
  junit: z.string().default('reports/junit.xml').meta({ description: 'JUnit XML file the tests write' }),
  build: BuildOptions.optional().meta({ description: 'build args, secrets, target, platforms, context' }),
  smoke: ComponentSmoke.optional().meta({
    description:
      "false: no smoke check (a component without HTTP); { path, status, port }: replaces those fields of the environment's smoke; default: the environment's smoke",
  }),
});

/** Where images are published. Absent: an ephemeral registry runs as a Dagger service (local runs only). */
export const Registry = z.strictObject({
  address: z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, {
    error: 'host[:port][/namespace], e.g. ghcr.io/acme',
  }),
  username: z.string().min(1).optional().meta({ description: 'user name (not secret)' }),
  password: SecretRef.optional(),
});

/** Helm settings of an environment whose driver is `helm`. */
export const HelmSettings = z.strictObject({
  chart: z
    .string()
    .min(1)
    .meta({ description: 'chart directory relative to the component path, or an oci:// chart reference' }),
  version: z.string().optional().meta({ description: 'chart version, for an oci:// chart' }),
  release: name.optional().meta({ description: 'release name; default: the component name' }),
  deployment: name.optional().meta({
    description:
      'Deployment the smoke check reaches; default: as `helm create` names it, <release>-<chart> (just <release> when it contains the chart name)',
  }),
  values: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'values files relative to the component path' }),
});

/** An Argo CD application to wait for after a GitOps push: synced to the pushed commit, then healthy. */
export const ArgoCdWait = z.strictObject({
  server: z
    .string()
    .regex(/^[a-z0-9.-]+(:[0-9]+)?$/, {
      error: 'host[:port] of the Argo CD API server, e.g. argocd.example.com',
    })
    .meta({ description: 'Argo CD API server (host[:port])' }),
  application: z.string().min(1).meta({ description: 'name of the Argo CD application that syncs the file' }),
  token: SecretRef.meta({
    description: 'Argo CD API token (an account with get/sync rights on the application)',
  }),
  timeout: z
    .string()
    .regex(/^\d+(s|m)$/, { error: 'a duration such as 300s or 10m' })
    .default('300s')
    .meta({ description: 'how long to wait for the sync and for health' }),
  grpcWeb: z.boolean().default(false).meta({ description: 'use gRPC-web (behind proxies that lack HTTP/2)' }),
});

/** GitOps settings of an environment whose driver is `gitops`: where the image digest is written. */
export const GitOpsSettings = z.strictObject({
  repository: z
    .url({ protocol: /^https$/ })
    .meta({ description: 'https URL of the GitOps repository (no credentials in it)' }),
  branch: z.string().min(1).default('main'),
  file: z
    .string()
    .min(1)
    .meta({ description: 'kustomization.yaml or Helm values file to edit, relative to the repository root' }),
  token: SecretRef.meta({ description: 'token allowed to push to the branch' }),
  username: z
    .string()
    .min(1)
    .default('x-access-token')
    .meta({ description: 'user name sent with the token' }),
  argocd: ArgoCdWait.optional().meta({ description: 'wait for this Argo CD application after the push' }),
});

/** The deploy drivers Gantry ships; a pipeline can register more in TypeScript (`standardStages({ drivers })`). */
export const BUILTIN_DRIVERS = ['kubernetes', 'helm', 'gitops'] as const;

/** A deployment target. Absent cluster settings: an ephemeral k3s runs as a Dagger service (local runs only). */
export const Environment = z.strictObject({
  name: name.meta({
    description: 'environment name, e.g. dev, staging, production; deploy stage: deploy-<name>',
  }),
  driver: name.default('kubernetes').meta({
    description:
      'kubernetes | helm | gitops, or a driver the pipeline registers (standardStages({ drivers }))',
  }),
  namespace: name.optional().meta({ description: 'default: the environment name' }),
  kustomize: z.string().optional().meta({
    description:
      'kustomize directory, relative to the component path (may lead out of it, e.g. ../../k8s/overlays/staging; it must stay in the repository); components resolving to the same directory are applied together, once',
  }),
  kubeconfig: SecretRef.optional().meta({ description: 'kubeconfig as a secret; absent: embedded k3s' }),
  url: z.url().optional().meta({ description: 'public URL, shown on the CI deployment and in the summary' }),
  smoke: SmokeCheck.default({ path: '/healthz', status: 200, port: 8080 }).meta({
    description:
      'checked after each rollout (kubernetes and helm), for each component unless the component sets its own smoke; a failure rolls back',
  }),
  approval: z.boolean().optional().meta({
    description: 'require an approval (stage approve-<name>) before deploying; default true for production',
  }),
  rolloutTimeout: z
    .string()
    .regex(/^\d+(s|m)$/)
    .default('120s')
    .meta({ description: 'how long kubectl rollout status waits for deployment/<component>' }),
  helm: HelmSettings.optional().meta({ description: 'required when driver is helm' }),
  gitops: GitOpsSettings.optional().meta({ description: 'required when driver is gitops' }),
});

/**
 * How approvals are signed: by an identity that exists only behind the approval gate, never the release
 * signer. Absent: a key pair generated for the run, which works on a laptop only (refused on CI).
 */
export const ApprovalSigning = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('key'),
    key: SecretRef.meta({
      description: 'cosign private key of approvals, a secret only the approve job gets',
    }),
    password: SecretRef.meta({ description: 'password of the approval key' }),
    publicKey: z.string().min(1).meta({ description: 'path of the approval public key, used to verify' }),
  }),
  z.strictObject({
    mode: z.literal('keyless'),
    identity: z.string().min(1).meta({
      description: 'certificate identity of the approve workflow (e.g. its reusable workflow ref)',
    }),
    issuer: z.url().meta({ description: 'OIDC issuer of the approve workflow' }),
  }),
  z.strictObject({ mode: z.literal('generated') }),
]);

/** The config format version this Gantry reads (version 1 is migrated on load, see `migrateConfig`). */
export const CONFIG_VERSION = 2;

/** Extra provenance attestations besides Gantry's own SLSA v1 one (always made by the sign stage). */
export const Provenance = z.strictObject({
  githubAttestation: z.boolean().default(false).meta({
    description:
      'on GitHub, the generated release job also attests each image with actions/attest-build-provenance, so that `gh attestation verify` works',
  }),
});

const approval = ApprovalSigning.optional().meta({
  description: 'how approvals are signed (separate from the release signer); default: generated, local only',
});

/** How images are signed. Absent: a key pair generated for the run (local runs only). */
export const Signing = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('key'),
      key: SecretRef.meta({ description: 'cosign private key' }),
      password: SecretRef.meta({ description: 'password of the private key' }),
      publicKey: z.string().min(1).meta({ description: 'path of the public key, used to verify' }),
      approval,
    }),
    z.strictObject({
      mode: z.literal('keyless'),
      identity: z.string().min(1).meta({ description: 'certificate identity (e.g. workflow ref) to verify' }),
      issuer: z
        .url()
        .meta({ description: 'OIDC issuer to verify, e.g. https://token.actions.githubusercontent.com' }),
      approval,
    }),
    z.strictObject({ mode: z.literal('generated'), approval }),
  ])
  .superRefine((signing, ctx) => {
    const a = signing.approval;
    const same = (field: string, what: string) =>
      ctx.addIssue({
        code: 'custom',
        path: ['approval', field],
        message: `the approval ${what} must differ from the release signer's: the release job runs team code and holds the signer, so it could approve itself`,
      });
    if (a?.mode === 'key' && signing.mode === 'key') {
      if (a.key === signing.key) same('key', 'key');
      if (a.publicKey === signing.publicKey) same('publicKey', 'public key');
    }
    if (a?.mode === 'keyless' && signing.mode === 'keyless' && a.identity === signing.identity)
      same('identity', 'identity');
  });

/** The whole gantry.yaml. */
export const GantryConfig = z.strictObject({
  version: z.literal(CONFIG_VERSION).meta({ description: 'config format version (1 is migrated on load)' }),
  name: name.meta({ description: 'project name' }),
  components: z
    .array(Component)
    .min(1, { error: 'declare at least one component' })
    .refine((list) => new Set(list.map((c) => c.name)).size === list.length, {
      error: 'component names must be unique',
    }),
  registry: Registry.optional(),
  environments: z
    .array(Environment)
    .default([])
    .refine((list) => new Set(list.map((e) => e.name)).size === list.length, {
      error: 'environment names must be unique',
    })
    .meta({ description: 'deployment targets, in promotion order (e.g. staging, then production)' }),
  signing: Signing.default({ mode: 'generated' }),
  provenance: Provenance.default({ githubAttestation: false }),
  policy: z.string().min(1).default('policies/default.yaml').meta({
    description:
      'security policy: builtin:default or builtin:strict (shipped with gantry), or a file inside the repository',
  }),
  scan: ScanSettings.default({ semgrep: { registry: [] } }).meta({ description: 'what the scan stage runs' }),
  stageTimeout: z
    .string()
    .regex(/^\d+(s|m|h)$/, { error: 'a duration such as 90s, 30m or 1h' })
    .default('30m'),
});

/** A validated gantry.yaml, defaults applied. */
export type GantryConfig = z.infer<typeof GantryConfig>;
/** One component of a validated config. */
export type Component = z.infer<typeof Component>;
/** Argo CD wait settings of a validated config. */
export type ArgoCdWait = z.infer<typeof ArgoCdWait>;
/** One environment of a validated config. */
export type Environment = z.infer<typeof Environment>;

/** Whether an environment requires an approval before its deploy: explicit, else only `production`. */
export function requiresApproval(environment: Pick<Environment, 'name' | 'approval'>): boolean {
  return environment.approval ?? environment.name === 'production';
}

/** The smoke check a component gets in an environment: none when the component says `smoke: false`. */
export function smokeOf(
  component: Pick<Component, 'smoke'>,
  environment: Pick<Environment, 'smoke'>,
): Environment['smoke'] | undefined {
  if (component.smoke === false) return undefined;
  return { ...environment.smoke, ...component.smoke };
}

/**
 * Migrates a parsed config document of format version 1 to version 2: `environments` was a map with the keys
 * `staging` and `production` (in that order); it is now an ordered list of environments with a `name`.
 * Anything else is returned unchanged, for the schema to judge.
 */
export function migrateConfig(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const doc = document as Record<string, unknown>;
  if (doc.version !== 1) return document;
  const { environments, ...rest } = doc;
  const list =
    environments && typeof environments === 'object' && !Array.isArray(environments)
      ? Object.entries(environments as Record<string, unknown>)
          .sort(([a], [b]) => (a === 'production' ? 1 : 0) - (b === 'production' ? 1 : 0))
          .map(([envName, settings]) =>
            settings && typeof settings === 'object' ? { name: envName, ...settings } : settings,
          )
      : environments;
  return { ...rest, version: CONFIG_VERSION, ...(list === undefined ? {} : { environments: list }) };
}
/** The name of a toolchain preset. */
export type ToolchainPreset = z.infer<typeof ToolchainPreset>;
/** How approvals are signed, defaults applied (`generated` when absent). */
export type ApprovalSigning = z.infer<typeof ApprovalSigning>;
