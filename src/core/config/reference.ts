/**
 * docs/configuration.md: the one configuration reference, generated from the zod schema (through its JSON
 * Schema) plus the conventions the deploy relies on and examples. `gantry schema --format markdown` prints it;
 * a test fails when the committed file is stale.
 */
import { configJsonSchema } from './json-schema.ts';

type Schema = Record<string, unknown>;

/** One row of the reference: a field path and what it takes. */
export interface ReferenceRow {
  path: string;
  type: string;
  required: boolean;
  default?: string | undefined;
  description: string;
}

/** Descriptions of the sections whose schema has none. */
const SECTIONS: Readonly<Record<string, string>> = {
  components: 'the services of the repository: each is tested, built into one image and deployed',
  registry: 'where images are published; absent: an ephemeral registry (local runs only)',
  environments:
    'deployment targets, deployed in order; absent cluster settings: an ephemeral k3s (local runs only)',
  signing: 'how images are signed; absent: a key pair made for the run (local runs only)',
  'registry.address': 'host[:port][/namespace], e.g. ghcr.io/acme',
};

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(s: Schema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (variants) {
    // A discriminated union: name the discriminator's values instead of "object | object".
    const tags = variants.map((v) =>
      isSchema(v.properties)
        ? Object.entries(v.properties).find(([, p]) => isSchema(p) && p.const !== undefined)
        : undefined,
    );
    if (tags.every((t) => t !== undefined)) {
      const values = tags.map((t) => `\`${String(isSchema(t?.[1]) ? t[1].const : '')}\``);
      return `object by \`${tags[0]?.[0]}\`: ${values.join(' | ')}`;
    }
    return variants.map(typeOf).join(' | ');
  }
  if (s.type === 'array') return `list of ${isSchema(s.items) ? typeOf(s.items) : 'any'}`;
  if (s.type === 'string' && typeof s.pattern === 'string' && s.pattern.startsWith('^(env|file'))
    return 'secret reference';
  if (s.type === 'string' && s.format === 'uri') return 'URL';
  return String(s.type ?? 'any');
}

/** Flattens the JSON Schema into rows, depth first, in declaration order. */
export function referenceRows(schema: Schema = configJsonSchema()): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const walk = (s: Schema, path: string, required: boolean): void => {
    if (path && !path.endsWith('[]')) {
      rows.push({
        path,
        type: typeOf(s),
        required,
        default: s.default === undefined ? undefined : JSON.stringify(s.default),
        description: typeof s.description === 'string' ? s.description : (SECTIONS[path] ?? ''),
      });
    }
    if (isSchema(s.properties)) {
      const req = Array.isArray(s.required) ? (s.required as string[]) : [];
      for (const [key, child] of Object.entries(s.properties))
        if (isSchema(child)) walk(child, path ? `${path}.${key}` : key, req.includes(key));
    }
    if (s.type === 'array' && isSchema(s.items) && isSchema(s.items.properties))
      walk(s.items, `${path}[]`, true);
    for (const variant of ((s.anyOf ?? s.oneOf) as Schema[] | undefined) ?? []) {
      if (!isSchema(variant.properties)) continue;
      const mode = Object.entries(variant.properties).find(([, p]) => isSchema(p) && p.const !== undefined);
      const label = mode && isSchema(mode[1]) ? ` (${mode[0]}: ${String(mode[1].const)})` : '';
      const req = Array.isArray(variant.required) ? (variant.required as string[]) : [];
      for (const [key, child] of Object.entries(variant.properties))
        if (isSchema(child) && child.const === undefined)
          walk(child, `${path}.${key}${label}`, req.includes(key));
    }
  };
  walk(schema, '', true);
  return rows;
}

/** The conventions a deploy relies on; `gantry validate` checks each (src/core/config/conventions.ts). */
export const CONVENTIONS: readonly { rule: string; checked: string }[] = [
  {
    rule: 'The Kubernetes Deployment is named after the component (`metadata.name: <component name>`).',
    checked:
      '`kubectl rollout status deployment/<name>`, the smoke check and the rollback address it by that name.',
  },
  {
    rule: 'The container image in the Deployment is named after the component (`image: <component name>`).',
    checked:
      'The deploy pins the kustomize `images:` entry whose `name` is the component name to `repository@sha256:…`; an image with another name would keep running the old version.',
  },
  {
    rule: 'Paths in a component (`dockerfile`, `junit`, `environments.*.kustomize`, `helm.chart`, `helm.values`) are relative to the component `path`, and stay inside it.',
    checked:
      'A deploy reads only the component folder; an overlay in a shared top-level `k8s/` folder is not found.',
  },
  {
    rule: 'The smoke check requests `GET /healthz` on container port **8080** and expects 200, unless `smoke` says otherwise.',
    checked: 'When the Deployment declares `containerPort`s and none is `smoke.port`, `validate` fails.',
  },
  {
    rule: 'The `python` toolchain installs `uv.lock` (`uv sync --frozen`) or `requirements.txt` (`pip install -r`); `node` needs `package.json` (its lockfile picks npm, pnpm or yarn); `go` needs `go.mod`.',
    checked: '`validate` fails when the file the preset runs is missing; otherwise use a custom toolchain.',
  },
  {
    rule: 'An environment named `production` requires an approval unless `approval: false`.',
    checked: 'The deploy refuses (exit 4) without an approval bound to the exact digests.',
  },
];

const EXAMPLE_MINIMAL = `# yaml-language-server: $schema=./node_modules/gantry/gantry.schema.json
version: 2
name: shop
components:
  - name: api
    path: services/api
    toolchain: python
environments:
  - name: staging
    kustomize: k8s/overlays/staging
  - name: production
    kustomize: k8s/overlays/production
`;

const EXAMPLE_FULL = `# yaml-language-server: $schema=./node_modules/gantry/gantry.schema.json
version: 2
name: shop
components:
  - name: api
    path: services/api
    toolchain: python
  - name: web
    path: services/web
    toolchain: node
    image: shop/web
  - name: worker
    path: worker
    toolchain:
      image: rust:1.83.0-slim-bookworm
      install: [[cargo, fetch, --locked]]
      test: [[cargo, test, --locked]]
      lockfile: Cargo.lock
      cache: [/usr/local/cargo/registry]
registry:
  address: ghcr.io/acme
  username: acme-bot
  password: env://REGISTRY_PASSWORD
environments:
  - name: staging
    driver: kubernetes
    kustomize: k8s/overlays/staging
    kubeconfig: env://KUBECONFIG_DATA
    url: https://staging.shop.example.com
    smoke: { path: /healthz, status: 200, port: 8000 }
  - name: production
    driver: gitops
    url: https://shop.example.com
    gitops:
      repository: https://github.com/acme/deployments
      file: shop/production/kustomization.yaml
      token: env://GITOPS_TOKEN
signing:
  mode: keyless
  identity: https://github.com/acme/shop/.github/workflows/gantry.yml@refs/heads/main
  issuer: https://token.actions.githubusercontent.com
policy: policies/default.yaml
stageTimeout: 45m
`;

/** The examples in the reference, each a complete gantry.yaml (the tests load them with the real loader). */
export const REFERENCE_EXAMPLES: readonly { title: string; yaml: string }[] = [
  { title: 'Minimal: one Python service, embedded registry, k3s and signing key', yaml: EXAMPLE_MINIMAL },
  {
    title: 'Three components, a registry, a real cluster, GitOps for production, keyless signing',
    yaml: EXAMPLE_FULL,
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The whole of docs/configuration.md. */
export function configurationReference(): string {
  const rows = referenceRows();
  return [
    '<!-- Generated from src/core/config/schema.ts by `gantry schema --format markdown`; do not edit. -->',
    '# Configuration reference: gantry.yaml',
    '',
    '`gantry.yaml` sits at the repository root. `gantry init` writes a first one; `gantry validate` checks it',
    'and the conventions below; `gantry plan` shows what each stage will do with it. Editors complete it from',
    'the JSON Schema (`gantry schema`, shipped as `gantry.schema.json`). Secrets are references, never values:',
    '`env://NAME`, `file://path`, `cmd://…`, `vault://…`, `op://…`.',
    '',
    '## Conventions the deploy relies on',
    '',
    '`gantry validate` checks each of these against the repository.',
    '',
    '| rule | why |',
    '|---|---|',
    ...CONVENTIONS.map((c) => `| ${cell(c.rule)} | ${cell(c.checked)} |`),
    '',
    '## Fields',
    '',
    '| field | type | required | default | description |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${cell(r.type)} | ${r.required && r.default === undefined ? 'yes' : ''} | ${r.default ? `\`${cell(r.default)}\`` : ''} | ${cell(r.description)} |`,
    ),
    '',
    '## Examples',
    '',
    ...REFERENCE_EXAMPLES.flatMap((e) => [`### ${e.title}`, '', '```yaml', e.yaml.trimEnd(), '```', '']),
  ].join('\n');
}
