/**
 * Temporary repositories for the end-to-end release scenarios (release.e2e.test.ts): a copy of
 * examples/hello-api, optionally a second component made from it, and extra overlays, committed to a fresh
 * git repository so the checkout stage has a commit. Only the real e2e test uses them; nothing here needs an
 * engine.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** A component of the temporary repository: a copy of the example under `name`. */
export interface RepoComponent {
  name: string;
}

/** What the repository's gantry.yaml deploys to. */
export interface RepoEnvironment {
  name: string;
  /** Overlay folder under each component's k8s/overlays. */
  overlay: string;
  smoke?: { path: string; status: number; port: number };
}

/** A temporary repository; `config` is its gantry.yaml. */
export interface TempRepo {
  dir: string;
  config: string;
}

/** Replaces `hello-api` with `name` in every file under `dir` (Deployment, Service, namespace names). */
async function rename(dir: string, name: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const file = join(entry.parentPath, entry.name);
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('hello-api', name));
  }
}

/**
 * The `rollout` overlay: the staging overlay with a pod-template annotation, so applying it makes a new
 * ReplicaSet revision of the same Deployment in the same namespace (kubectl docs, "Rolling back a
 * Deployment": a rollout is triggered only when the pod template changes). Rolling back returns to the
 * revision the `staging` environment deployed.
 */
async function rolloutOverlay(component: string): Promise<void> {
  const dir = join(component, 'k8s/overlays/rollout');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../staging'],
      patches: [
        {
          target: { kind: 'Deployment' },
          patch: stringify([
            { op: 'add', path: '/spec/template/metadata/annotations', value: { 'gantry.e2e/revision': '2' } },
          ]),
        },
      ],
    }),
  );
}

/** Makes a committed repository with `components` (copies of examples/hello-api) and `environments`. */
export async function tempRepo(
  components: RepoComponent[],
  environments: RepoEnvironment[],
): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-repo-'));
  for (const { name } of components) {
    const target = join(dir, 'services', name);
    await cp(join(root, 'examples/hello-api'), target, {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
    if (name !== 'hello-api') await rename(join(target, 'k8s'), name);
    await rolloutOverlay(target);
  }
  await cp(join(root, 'policies'), join(dir, 'policies'), { recursive: true });
  const config = join(dir, 'gantry.yaml');
  await writeFile(
    config,
    stringify({
      version: 2,
      name: 'gantry-e2e',
      components: components.map(({ name }) => ({
        name,
        path: `services/${name}`,
        toolchain: 'node',
        dockerfile: 'Dockerfile',
        junit: 'reports/junit.xml',
      })),
      environments: environments.map(({ name, overlay, smoke }) => ({
        name,
        driver: 'kubernetes',
        kustomize: `k8s/overlays/${overlay}`,
        ...(smoke ? { smoke } : {}),
      })),
      policy: 'policies/default.yaml',
    }),
  );
  const git = (...args: string[]) =>
    exec('git', ['-c', 'user.name=gantry-e2e', '-c', 'user.email=e2e@gantry.invalid', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'e2e fixture');
  return { dir, config };
}
