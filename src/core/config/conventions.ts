/**
 * The conventions a deploy relies on, checked against the repository's files by `gantry validate`:
 * every rule here is one the stages or drivers assume, documented in docs/configuration.md ("Conventions").
 */
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Component, Environment, GantryConfig } from './schema.ts';

/** Reads a repository file (relative POSIX path); undefined when absent or unreadable. */
export type ReadRepoFile = (path: string) => string | undefined;

/** One broken convention: where, what, and the fix. */
export interface ConventionProblem {
  /** `error`: the run would fail at this point; `warning`: could not be checked, or probably wrong. */
  severity: 'error' | 'warning';
  /** The config field or file, e.g. `environments.staging.kustomize` or `api/k8s/base/deployment.yaml`. */
  where: string;
  message: string;
  fix: string;
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Checks every convention of `config` against the repository; an empty list means all hold. */
export function checkConventions(config: GantryConfig, read: ReadRepoFile): ConventionProblem[] {
  const problems: ConventionProblem[] = [];
  for (const c of config.components) problems.push(...checkComponent(c, read));
  for (const settings of config.environments) {
    const { name } = settings;
    for (const c of config.components) {
      if (settings.driver === 'kubernetes') problems.push(...checkKustomize(c, name, settings, read));
      if (settings.driver === 'helm') problems.push(...checkChart(c, name, settings, read));
    }
  }
  return problems;
}

const inComponent = (c: Component, path: string) => posix.normalize(posix.join(c.path, path));
const escapes = (path: string) => posix.normalize(path).split('/')[0] === '..' || posix.isAbsolute(path);

function checkComponent(c: Component, read: ReadRepoFile): ConventionProblem[] {
  const problems: ConventionProblem[] = [];
  const where = `components[${c.name}]`;
  if (read(inComponent(c, c.dockerfile)) === undefined)
    problems.push({
      severity: 'error',
      where: `${where}.dockerfile`,
      message: `${inComponent(c, c.dockerfile)} does not exist (the dockerfile is relative to the component path ${c.path})`,
      fix: `add the Dockerfile, or set dockerfile to its path relative to ${c.path}`,
    });
  const has = (file: string) => read(inComponent(c, file)) !== undefined;
  if (c.toolchain === 'node' && !has('package.json'))
    problems.push({
      severity: 'error',
      where: `${where}.toolchain`,
      message: `toolchain node, but ${inComponent(c, 'package.json')} does not exist`,
      fix: 'set path to the folder with package.json, or pick the toolchain of the component',
    });
  if (c.toolchain === 'python' && !has('uv.lock') && !has('requirements.txt'))
    problems.push({
      severity: 'error',
      where: `${where}.toolchain`,
      message: `toolchain python installs uv.lock (uv sync --frozen) or requirements.txt (pip install -r), but ${c.path} has neither`,
      fix: 'run `uv lock` or write requirements.txt, or give a custom toolchain { image, install, test }',
    });
  if (c.toolchain === 'go' && !has('go.mod'))
    problems.push({
      severity: 'error',
      where: `${where}.toolchain`,
      message: `toolchain go, but ${inComponent(c, 'go.mod')} does not exist`,
      fix: 'set path to the folder with go.mod',
    });
  return problems;
}

/** Reads a kustomization and every local resource under it: the Deployments and container images. */
function collectResources(dir: string, read: ReadRepoFile, seen = new Set<string>()): Doc[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const text = KUSTOMIZATION_NAMES.map((n) => read(posix.join(dir, n))).find((t) => t !== undefined);
  if (text === undefined) return [];
  const docs: Doc[] = [];
  const kustomization = parseDocs(text)[0] ?? {};
  docs.push({ ...kustomization, __kustomization: dir });
  for (const entry of [
    ...list(kustomization.resources),
    ...list(kustomization.bases),
    ...list(kustomization.components),
  ]) {
    if (typeof entry !== 'string' || /^[a-z]+:\/\/|^github\.com\//.test(entry)) continue;
    const path = posix.normalize(posix.join(dir, entry));
    const file = read(path);
    if (file !== undefined && /\.ya?ml$/.test(path)) docs.push(...parseDocs(file));
    else docs.push(...collectResources(path, read, seen));
  }
  return docs;
}

function parseDocs(text: string): Doc[] {
  try {
    return parseAllDocuments(text).flatMap((d) => {
      const v: unknown = 'toJS' in d ? d.toJS() : undefined;
      return isObject(v) ? [v] : [];
    });
  } catch {
    return [];
  }
}

const imageName = (image: string) => image.replace(/@sha256:[a-f0-9]+$/, '').replace(/:[^/:]+$/, '');

function checkKustomize(
  c: Component,
  env: string,
  settings: Environment,
  read: ReadRepoFile,
): ConventionProblem[] {
  const where = `environments.${env}.kustomize`;
  const overlay = settings.kustomize ?? '.';
  if (escapes(overlay))
    return [
      {
        severity: 'error',
        where,
        message: `${overlay} leaves the component folder ${c.path}: a deploy reads only the component's own folder`,
        fix: `move the overlay under ${c.path} and set kustomize relative to it (e.g. k8s/overlays/${env})`,
      },
    ];
  const dir = inComponent(c, overlay);
  const docs = collectResources(dir, read);
  if (docs.length === 0)
    return [
      {
        severity: 'error',
        where,
        message: `no kustomization.yaml in ${dir} (kustomize is relative to the component path ${c.path})`,
        fix: `add ${dir}/kustomization.yaml, or set kustomize to the overlay folder relative to ${c.path}`,
      },
    ];
  const problems: ConventionProblem[] = [];
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const named = deployments.find((d) => isObject(d.metadata) && d.metadata.name === c.name);
  if (deployments.length > 0 && !named)
    problems.push({
      severity: 'error',
      where: dir,
      message: `no Deployment named ${c.name} under ${dir} (found: ${deployments.map((d) => (isObject(d.metadata) ? String(d.metadata.name) : '?')).join(', ')}); the deploy waits for deployment/${c.name}`,
      fix: `name the Deployment after the component: metadata.name: ${c.name}`,
    });
  if (deployments.length === 0)
    problems.push({
      severity: 'warning',
      where: dir,
      message: `no Deployment found in the local resources of ${dir}, so its name (${c.name}) could not be checked`,
      fix: `make sure the overlay deploys a Deployment named ${c.name}`,
    });
  const containers = deployments.flatMap((d) => podContainers(d));
  const images = containers.map((ctr) => (typeof ctr.image === 'string' ? imageName(ctr.image) : ''));
  const pinned = docs.some((d) => list(d.images).some((i) => isObject(i) && i.name === c.name));
  if (containers.length > 0 && !images.includes(c.name) && !pinned)
    problems.push({
      severity: 'error',
      where: dir,
      message: `no container image named ${c.name} (found: ${images.join(', ')}); the deploy pins the kustomize image named after the component, so nothing would change`,
      fix: `use image: ${c.name} in the Deployment's container (kustomize replaces it with repository@digest)`,
    });
  if (named) {
    const ports = podContainers(named).flatMap((ctr) =>
      list(ctr.ports).flatMap((p) =>
        isObject(p) && typeof p.containerPort === 'number' ? [p.containerPort] : [],
      ),
    );
    if (ports.length > 0 && !ports.includes(settings.smoke.port))
      problems.push({
        severity: 'error',
        where: `environments.${env}.smoke.port`,
        message: `the smoke check port-forwards to port ${settings.smoke.port} (default 8080), but deployment ${c.name} declares ${ports.join(', ')}`,
        fix: `set environments.${env}.smoke.port to the port your service listens on (${ports[0]})`,
      });
  }
  return problems;
}

function podContainers(deployment: Doc): Doc[] {
  const spec = isObject(deployment.spec) ? deployment.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const pod = isObject(template.spec) ? template.spec : {};
  return list(pod.containers).filter(isObject);
}

function checkChart(
  c: Component,
  env: string,
  settings: Environment,
  read: ReadRepoFile,
): ConventionProblem[] {
  const helm = settings.helm;
  if (!helm)
    return [
      {
        severity: 'error',
        where: `environments.${env}.helm`,
        message: 'driver helm needs helm settings',
        fix: 'set helm.chart to the chart folder, relative to the component path, or an oci:// reference',
      },
    ];
  const problems: ConventionProblem[] = [];
  if (
    !helm.chart.startsWith('oci://') &&
    read(posix.join(inComponent(c, helm.chart), 'Chart.yaml')) === undefined
  )
    problems.push({
      severity: 'error',
      where: `environments.${env}.helm.chart`,
      message: `no Chart.yaml in ${inComponent(c, helm.chart)} (the chart is relative to the component path ${c.path})`,
      fix: 'set helm.chart to the chart folder relative to the component path, or an oci:// reference',
    });
  for (const values of helm.values)
    if (read(inComponent(c, values)) === undefined)
      problems.push({
        severity: 'error',
        where: `environments.${env}.helm.values`,
        message: `${inComponent(c, values)} does not exist (values files are relative to the component path)`,
        fix: 'fix the path, relative to the component path',
      });
  return problems;
}
