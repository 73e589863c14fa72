/**
 * What `gantry init` finds in a repository: components (a folder with a Dockerfile, its toolchain told by its
 * manifests and lockfiles), kustomize overlays and Helm charts. Pure: it reads a file listing and a reader.
 */
import { posix } from 'node:path';

/** The repository as `init` sees it: relative POSIX paths of its files, and a way to read one. */
export interface RepoFiles {
  /** Every file, relative to the repository root, `/`-separated (ignored folders already left out). */
  readonly files: readonly string[];
  /** The text of a file, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

/** Folders never searched: dependencies, virtualenvs, build output, VCS data. */
export const IGNORED_FOLDERS = [
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  'vendor',
  'dist',
  'build',
  'out',
  '.tox',
  'target',
];

/** A toolchain preset name, or one `init` cannot run without the user's help. */
export type DetectedToolchain = 'node' | 'python' | 'go';

/** One component found. */
export interface DetectedComponent {
  /** DNS-label name, from the folder (or the project, at the root). */
  name: string;
  /** Folder relative to the repository root (`.` for the root). */
  path: string;
  /** Toolchains the folder's files point to; more than one is a question for the user. */
  toolchains: DetectedToolchain[];
  /** Why each toolchain was detected, e.g. `uv.lock`. */
  evidence: string[];
  /** Dockerfile, relative to the component folder. */
  dockerfile: string;
  /** Node package manager, from the lockfile. */
  packageManager?: 'npm' | 'pnpm' | 'yarn' | undefined;
  /** Kustomize overlays under the component folder, by environment name, relative to the component. */
  overlays: Record<string, string>;
  /** A Helm chart folder under the component, relative to it. */
  chart?: string | undefined;
  /** Things the preset will not handle as they are, each with the fix. */
  todos: string[];
}

/** What `init` found. */
export interface Detection {
  /** Project name: the root package.json name, else the folder name. */
  project: string;
  components: DetectedComponent[];
  /** Environments in order (from overlays, or the default staging and production). */
  environments: string[];
  /** Problems that concern the whole repository, each with the fix. */
  todos: string[];
}

const MANIFESTS: Record<string, DetectedToolchain> = {
  'package.json': 'node',
  'pyproject.toml': 'python',
  'requirements.txt': 'python',
  'uv.lock': 'python',
  'go.mod': 'go',
};

/** Environment names in their usual order; others follow alphabetically. */
const ENVIRONMENT_ORDER = [
  'dev',
  'development',
  'test',
  'qa',
  'staging',
  'stage',
  'preprod',
  'production',
  'prod',
];

/** Turns a folder or package name into a DNS label (the form component and project names take). */
export function dnsLabel(text: string): string {
  const label = text
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'app';
}

const isDockerfile = (file: string) =>
  /^(Dockerfile|Containerfile|.+\.Dockerfile|Dockerfile\..+)$/.test(file);

/** Finds the components, overlays and charts of a repository. */
export function detectRepository(repo: RepoFiles, folderName: string): Detection {
  const byDir = new Map<string, string[]>();
  for (const file of repo.files) {
    const dir = posix.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), posix.basename(file)]);
  }
  const rootPackage = parseJson(repo.read('package.json'));
  const project = dnsLabel(typeof rootPackage?.name === 'string' ? rootPackage.name : folderName);
  const todos: string[] = [];

  const dockerDirs = [...byDir.entries()]
    .filter(([, names]) => names.some(isDockerfile))
    .map(([dir]) => dir)
    .sort();
  const manifestDirs = [...byDir.entries()]
    .filter(([, names]) => names.some((n) => n in MANIFESTS))
    .map(([dir]) => dir)
    .sort();
  // A component is a folder with a Dockerfile. A repository without any is one component at the root.
  const componentDirs = dockerDirs.length > 0 ? dockerDirs : manifestDirs.includes('.') ? ['.'] : [];
  for (const dir of manifestDirs) {
    if (componentDirs.includes(dir) || (dir === '.' && componentDirs.length > 0)) continue;
    if (componentDirs.some((c) => c !== '.' && dir.startsWith(`${c}/`))) continue;
    todos.push(
      `${dir} has ${byDir
        .get(dir)
        ?.filter((n) => n in MANIFESTS)
        .join(
          ', ',
        )} but no Dockerfile, so it is not a component: add a Dockerfile there and run \`gantry init --force\`, or add it to components by hand`,
    );
  }
  if (componentDirs.length === 0)
    todos.push(
      'no component found (no Dockerfile, package.json, pyproject.toml, requirements.txt or go.mod): add your service, then run `gantry init --force`',
    );

  const used = new Set<string>();
  const components = componentDirs.map((dir) => {
    const component = detectComponent(
      repo,
      dir,
      byDir,
      dir === '.' ? project : dnsLabel(posix.basename(dir)),
    );
    while (used.has(component.name)) component.name = dnsLabel(`${component.name}-${used.size}`);
    used.add(component.name);
    return component;
  });
  const environments = orderEnvironments(components.flatMap((c) => Object.keys(c.overlays)));
  for (const [dir, names] of byDir)
    if (
      names.some((n) => /^kustomization\.ya?ml$|^Kustomization$/.test(n)) &&
      /(^|\/)overlays\/[^/]+$/.test(dir)
    )
      if (!components.some((c) => Object.values(c.overlays).some((o) => posix.join(c.path, o) === dir)))
        todos.push(
          `the kustomize overlay ${dir} is outside every component folder: a deploy reads the overlay relative to the component folder, so move it under the component (e.g. <component>/k8s/overlays/<env>)`,
        );
  return {
    project,
    components,
    environments: environments.length > 0 ? environments : ['staging', 'production'],
    todos,
  };
}

function detectComponent(
  repo: RepoFiles,
  dir: string,
  byDir: Map<string, string[]>,
  name: string,
): DetectedComponent {
  const names = byDir.get(dir) ?? [];
  const at = (file: string) => (dir === '.' ? file : `${dir}/${file}`);
  const toolchains = [
    ...new Set(names.flatMap((n) => (n in MANIFESTS ? [MANIFESTS[n] as DetectedToolchain] : []))),
  ];
  const evidence = names.filter((n) => n in MANIFESTS || /lock|^go\.sum$/.test(n));
  const dockerfile = names.find((n) => n === 'Dockerfile') ?? names.find(isDockerfile) ?? 'Dockerfile';
  const todos: string[] = [];
  if (!names.some(isDockerfile))
    todos.push(
      `no Dockerfile in ${dir}: the build stage needs one (set \`dockerfile\` if it lives elsewhere)`,
    );
  let packageManager: DetectedComponent['packageManager'];
  if (toolchains.includes('node')) {
    packageManager = names.includes('pnpm-lock.yaml')
      ? 'pnpm'
      : names.includes('yarn.lock')
        ? 'yarn'
        : names.includes('package-lock.json')
          ? 'npm'
          : undefined;
    if (!packageManager)
      todos.push(
        `no lockfile in ${dir}: deps runs \`npm install\` (unpinned); run \`npm install\` and commit package-lock.json`,
      );
    const scripts = parseJson(repo.read(at('package.json')))?.scripts as Record<string, unknown> | undefined;
    if (typeof scripts?.test !== 'string')
      todos.push(
        `${at('package.json')} has no "test" script: the test stage runs \`${packageManager ?? 'npm'} test\``,
      );
  }
  if (toolchains.includes('python') && !names.includes('uv.lock') && !names.includes('requirements.txt'))
    todos.push(
      `${dir} has pyproject.toml but neither uv.lock nor requirements.txt: the python preset installs one of them; run \`uv lock\` (or write requirements.txt), or give a custom toolchain`,
    );
  if (toolchains.includes('go') && !names.includes('go.sum'))
    todos.push(`no go.sum in ${dir}: run \`go mod tidy\` and commit it (it keys the dependency cache)`);

  const prefix = dir === '.' ? '' : `${dir}/`;
  const overlays: Record<string, string> = {};
  let chart: string | undefined;
  for (const [other, files] of byDir) {
    if (dir !== '.' && other !== dir && !other.startsWith(prefix)) continue;
    const inner = other === dir ? '.' : other.slice(prefix.length);
    const overlay = /(^|\/)overlays\/(?<env>[^/]+)$/.exec(inner);
    if (overlay?.groups?.env && files.some((n) => /^kustomization\.ya?ml$|^Kustomization$/.test(n)))
      overlays[overlay.groups.env] = inner;
    if (files.includes('Chart.yaml') && chart === undefined) chart = inner;
  }
  return { name, path: dir, toolchains, evidence, dockerfile, packageManager, overlays, chart, todos };
}

function orderEnvironments(names: string[]): string[] {
  const rank = (n: string) => {
    const i = ENVIRONMENT_ORDER.indexOf(n);
    return i === -1 ? ENVIRONMENT_ORDER.length : i;
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
