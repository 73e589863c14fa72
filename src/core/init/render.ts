/**
 * Turns what `init` detected (and what the user answered) into the text of gantry.yaml and pipeline/main.ts.
 * What is still undecided becomes a `# TODO:` comment that says the fix.
 */
import type { DetectedComponent, DetectedToolchain, Detection } from './detect.ts';

/** A question `init` asks at a terminal; unanswered, its default is used and its TODO is written. */
export interface InitQuestion {
  /** Key of the answer, e.g. `toolchain:api` or `registry`. */
  id: string;
  message: string;
  /** For a choice; absent for free text. */
  choices?: { value: string; name: string }[] | undefined;
  default: string;
  /** The comment written when nobody answered. */
  todo: string;
}

/** Answers by question id. */
export type InitAnswers = Readonly<Record<string, string | undefined>>;

/** The questions `init` cannot decide by itself for a detection. */
export function initQuestions(detection: Detection): InitQuestion[] {
  const questions: InitQuestion[] = [];
  for (const c of detection.components) {
    if (c.toolchains.length === 1) continue;
    const options: DetectedToolchain[] = c.toolchains.length > 1 ? c.toolchains : ['node', 'python', 'go'];
    questions.push({
      id: `toolchain:${c.name}`,
      message: `Which toolchain builds and tests ${c.name} (${c.path})?`,
      choices: options.map((t) => ({ value: t, name: t })),
      default: options[0] as string,
      todo:
        c.toolchains.length > 1
          ? `${c.path} has files of ${c.toolchains.join(' and ')} (${c.evidence.join(', ')}); pick the toolchain that runs its tests`
          : `no package.json, pyproject.toml, requirements.txt or go.mod in ${c.path}; pick node, python or go, or give a custom toolchain { image, install, test }`,
    });
  }
  questions.push({
    id: 'registry',
    message:
      'Registry to publish images to (host[/namespace], e.g. ghcr.io/acme; empty: an embedded registry for local runs)',
    default: '',
    todo: 'set registry.address (e.g. ghcr.io/acme) and registry.password (e.g. env://REGISTRY_PASSWORD) before running on CI; without it images go to an ephemeral registry that only local runs have',
  });
  return questions;
}

const scalar = (text: string) => (/^[A-Za-z0-9._/@:-]+$/.test(text) ? text : JSON.stringify(text));

/** The text of gantry.yaml for a detection and the answers given (absent answers: defaults plus TODOs). */
export function renderGantryYaml(detection: Detection, answers: InitAnswers = {}): string {
  const questions = new Map(initQuestions(detection).map((q) => [q.id, q]));
  const answer = (id: string): { value: string; todo?: string | undefined } => {
    const q = questions.get(id);
    const given = answers[id];
    return given !== undefined ? { value: given } : { value: q?.default ?? '', todo: q?.todo };
  };
  const lines = [
    '# yaml-language-server: $schema=./node_modules/gantry/gantry.schema.json',
    '# Written by `gantry init`. Reference: docs/configuration.md in the gantry package',
    '# (node_modules/gantry/docs/configuration.md). Check it with `npx gantry validate`; see the stages with `npx gantry plan`.',
    'version: 2',
    `name: ${detection.project}`,
  ];
  for (const todo of detection.todos) lines.push(`# TODO: ${todo}`);
  lines.push('components:');
  for (const c of detection.components) lines.push(...renderComponent(c, answer(`toolchain:${c.name}`)));
  if (detection.components.length === 0) lines.push('  [] # TODO: add at least one component');
  const registry = answer('registry');
  if (registry.value) {
    lines.push('registry:', `  address: ${scalar(registry.value)}`, '  password: env://REGISTRY_PASSWORD');
  } else if (registry.todo) {
    lines.push(
      `# TODO: ${registry.todo}`,
      '# registry:',
      '#   address: ghcr.io/acme',
      '#   password: env://REGISTRY_PASSWORD',
    );
  }
  lines.push(...renderEnvironments(detection));
  lines.push('policy: policies/default.yaml');
  return `${lines.join('\n')}\n`;
}

function renderComponent(
  c: DetectedComponent,
  toolchain: { value: string; todo?: string | undefined },
): string[] {
  const lines = [`  - name: ${c.name}`, `    path: ${scalar(c.path)}`];
  if (toolchain.todo) lines.push(`    # TODO: ${toolchain.todo}`);
  lines.push(`    toolchain: ${c.toolchains.length === 1 ? c.toolchains[0] : toolchain.value}`);
  lines.push(`    dockerfile: ${scalar(c.dockerfile)}`);
  for (const todo of c.todos) lines.push(`    # TODO: ${todo}`);
  return lines;
}

/**
 * The environments: one per overlay name found (kustomize), or per chart (helm), else staging and production
 * with a TODO. A deploy reads the overlay or chart relative to each component folder, so all components
 * must have it at the same relative path.
 */
function renderEnvironments(detection: Detection): string[] {
  const { components } = detection;
  const lines = ['environments:'];
  const charts = [...new Set(components.map((c) => c.chart))];
  for (const env of detection.environments) {
    lines.push(`  - name: ${env}`);
    const overlays = [...new Set(components.map((c) => c.overlays[env]))];
    const overlay = overlays[0];
    if (overlays.length === 1 && overlay !== undefined) {
      lines.push('    driver: kubernetes', `    kustomize: ${scalar(overlay)}`);
    } else if (overlays.every((o) => o === undefined) && charts.length === 1 && charts[0] !== undefined) {
      lines.push('    driver: helm', '    helm:', `      chart: ${scalar(charts[0])}`);
    } else {
      const missing = components.filter((c) => c.overlays[env] === undefined).map((c) => c.name);
      lines.push(
        overlays.some((o) => o !== undefined)
          ? `    # TODO: the ${env} overlay is not at the same path in every component (${missing.length ? `missing in ${missing.join(', ')}` : overlays.join(' vs ')}); kustomize is read relative to each component folder, so use one path, e.g. k8s/overlays/${env}`
          : `    # TODO: no kustomize overlay or Helm chart found; add <component>/k8s/overlays/${env}/kustomization.yaml with a Deployment named after the component, then set kustomize: k8s/overlays/${env}`,
        '    driver: kubernetes',
      );
      if (overlay !== undefined) lines.push(`    kustomize: ${scalar(overlay)}`);
    }
    if (env === 'production' || env === 'prod') lines.push('    approval: true');
    lines.push(
      '    # Cluster: without kubeconfig an ephemeral k3s runs (local runs only); on CI set kubeconfig: env://KUBECONFIG_DATA',
      '    # The smoke check GETs /healthz on port 8080 and expects 200: set smoke: { path, port, status } if yours differs',
    );
  }
  return lines;
}

/** The text of pipeline/main.ts: the standard stages, ready for the team's own. */
export function renderPipelineMain(): string {
  return `// This repository's pipeline: Gantry's standard stages, driven by gantry.yaml.
// Run it: \`dagger run npx tsx pipeline/main.ts\` (everything), or \`npx tsx pipeline/main.ts plan\`.
// Add stages of your own with defineStage (import it from 'gantry') and list them after the standard ones.
import { main, standardStages } from 'gantry';

await main({ stages: [...standardStages()] });
`;
}
