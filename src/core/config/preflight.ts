/**
 * `gantry validate` and `gantry run` pre-flight: everything that can be checked before an engine starts.
 * - the embedded registry is refused with a real cluster or GitOps (it would deploy `localhost:5000/…`, which
 *   no real cluster can pull);
 * - component paths, Dockerfiles, kustomize overlays, Helm charts and values files, the public key exist;
 * - every `env://` secret the selected stages need is set.
 * Each problem names the gantry.yaml field and the fix; together they make one InputError (exit 2).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { GantryConfig } from './schema.ts';

/** One thing that would fail once the engine runs. */
export interface PreflightProblem {
  /** The gantry.yaml field, e.g. `components[0].dockerfile`. */
  field: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** Repository root the config's paths are resolved from. */
  repoRoot: string;
  /** The stages that will run (`deploy-<environment>` for deploys). @default every stage */
  stages?: readonly string[] | undefined;
  /** Environment the `env://` secrets are read from. @default process.env is NOT read: pass it */
  env: Readonly<Record<string, string | undefined>>;
  /** Whether a path exists. @default fs.existsSync */
  exists?: (path: string) => boolean;
}

type EnvironmentEntry = [string, GantryConfig['environments'][number]];

/** The configured environments with their names, in order. */
function environmentsOf(config: GantryConfig): EnvironmentEntry[] {
  return config.environments.map((e) => [e.name, e]);
}

/** The stages that read the registry credentials: build publishes, sign pushes signatures, deploys verify. */
const REGISTRY_STAGES = /^(build|sign|deploy-.+)$/;

/** Every problem {@link preflight} finds; an empty list means the run may start. */
export function preflight(config: GantryConfig, options: PreflightOptions): PreflightProblem[] {
  const { repoRoot, stages, env, exists = existsSync } = options;
  const runs = (stage: string | RegExp) =>
    stages === undefined || stages.some((s) => (typeof stage === 'string' ? s === stage : stage.test(s)));
  const problems: PreflightProblem[] = [];
  const need = (field: string, path: string, what: string, fix: string) => {
    if (!exists(path)) problems.push({ field, message: `${what} not found: ${path}`, fix });
  };
  const secret = (field: string, ref: string | undefined, stage: string) => {
    const name = ref?.startsWith('env://') ? ref.slice('env://'.length) : undefined;
    if (name && !env[name]) {
      problems.push({
        field,
        message: `${ref} is not set, and stage ${stage} needs it`,
        fix: `export ${name} (a CI secret variable), or point ${field} at another secret reference`,
      });
    }
  };

  for (const [i, env_] of environmentsOf(config)) {
    const deploys = runs(`deploy-${i}`);
    if (!config.registry && deploys && (env_.kubeconfig || env_.driver === 'gitops')) {
      problems.push({
        field: 'registry',
        message: `environments.${i} deploys to ${env_.driver === 'gitops' ? 'a GitOps repository' : 'a real cluster (kubeconfig)'}, but no registry is configured, so images would go to the embedded localhost:5000 registry, which that cluster cannot pull from`,
        fix: 'set registry.address (and credentials) to a registry the cluster can pull from, or drop the kubeconfig/gitops settings to deploy to the embedded k3s',
      });
    }
  }

  config.components.forEach((c, n) => {
    const dir = resolve(repoRoot, c.path);
    need(
      `components[${n}].path`,
      dir,
      `component ${c.name}'s folder`,
      'set path to the component folder, relative to the repository root',
    );
    if (runs('build')) {
      need(
        `components[${n}].dockerfile`,
        join(dir, c.dockerfile),
        `component ${c.name}'s Dockerfile`,
        'set dockerfile relative to the component path, or add the Dockerfile',
      );
    }
    for (const [name, e] of environmentsOf(config)) {
      if (!runs(`deploy-${name}`)) continue;
      const at = `environments.${name}`;
      if (e.driver === 'kubernetes') {
        const overlay = join(dir, e.kustomize ?? '.');
        const found = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) =>
          exists(join(overlay, f)),
        );
        if (!found) {
          problems.push({
            field: `${at}.kustomize`,
            message: `no kustomization.yaml in ${overlay} (component ${c.name})`,
            fix: 'set kustomize to the overlay folder, relative to the component path',
          });
        }
      }
      if (e.driver === 'helm' && e.helm) {
        if (!e.helm.chart.startsWith('oci://')) {
          need(
            `${at}.helm.chart`,
            join(dir, e.helm.chart, 'Chart.yaml'),
            `Helm chart of ${c.name}`,
            'set helm.chart to the chart folder relative to the component path, or an oci:// reference',
          );
        }
        e.helm.values.forEach((v, k) => {
          need(
            `${at}.helm.values[${k}]`,
            join(dir, v),
            `values file of ${c.name}`,
            'set the values file relative to the component path',
          );
        });
      }
    }
  });

  if (config.signing.mode === 'key' && runs(/^(sign|deploy-.+)$/)) {
    need(
      'signing.publicKey',
      resolve(repoRoot, config.signing.publicKey),
      'the public key',
      'set signing.publicKey to the cosign.pub file, relative to the repository root',
    );
  }
  if (config.signing.mode === 'key' && runs('sign')) {
    secret('signing.key', config.signing.key, 'sign');
    secret('signing.password', config.signing.password, 'sign');
  }
  const registryStage = stages?.find((s) => REGISTRY_STAGES.test(s)) ?? 'build';
  if (runs(REGISTRY_STAGES)) secret('registry.password', config.registry?.password, registryStage);
  for (const [name, e] of environmentsOf(config)) {
    const stage = `deploy-${name}`;
    if (!runs(stage)) continue;
    secret(`environments.${name}.kubeconfig`, e.kubeconfig, stage);
    secret(`environments.${name}.gitops.token`, e.gitops?.token, stage);
    secret(`environments.${name}.gitops.argocd.token`, e.gitops?.argocd?.token, stage);
  }
  return problems;
}

/** Throws one InputError (exit 2) listing every problem, each with its field and fix. */
export function assertPreflight(problems: readonly PreflightProblem[], file = 'gantry.yaml'): void {
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  ${file}: ${p.field}: ${p.message}\n    fix: ${p.fix}`);
  throw new InputError(
    'PREFLIGHT_FAILED',
    `${problems.length} problem(s) found before starting the engine:\n${lines.join('\n')}`,
    { hint: 'fix the fields above; `gantry validate` runs these checks without an engine' },
  );
}
