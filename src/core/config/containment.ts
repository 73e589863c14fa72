/**
 * Every path in gantry.yaml stays inside the repository: a component's folder, its Dockerfile, JUnit file,
 * lockfile, kustomize overlay, Helm chart and values files, the signing public key and the policy file. A path
 * that leaves the repository (`../../etc`, an absolute path elsewhere, or a symbolic link pointing out of
 * it) would mount or read host files the repository's owners never vetted; it is refused (exit 2), naming
 * the field.
 *
 * Symbolic links are resolved with `realpath`, for the path itself when it exists, else for its nearest
 * existing parent (a JUnit file written later, an overlay not yet created).
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import type { Environment, GantryConfig } from './schema.ts';

/** Shipped policies, referred to as `builtin:<name>`. */
export const BUILTIN_POLICIES = ['default', 'strict'] as const;
const BUILTIN_PREFIX = 'builtin:';

/** One path field of the config: where it is (`components[0].dockerfile`), its value, what it is relative to. */
export interface PathField {
  readonly field: string;
  readonly value: string;
  /** Absolute folder the value is relative to. */
  readonly base: string;
}

/** The shipped policy a `builtin:<name>` value names, or `undefined` for a path. Unknown names: exit 2. */
export function builtinPolicyName(value: string, field = 'policy'): string | undefined {
  if (!value.startsWith(BUILTIN_PREFIX)) return undefined;
  const name = value.slice(BUILTIN_PREFIX.length);
  if ((BUILTIN_POLICIES as readonly string[]).includes(name)) return name;
  throw new InputError('CONFIG_POLICY_UNKNOWN', `${field}: "${value}" is not a shipped policy`, {
    hint: `use one of ${BUILTIN_POLICIES.map((p) => `${BUILTIN_PREFIX}${p}`).join(', ')}, or a policy file inside the repository`,
  });
}

/** The path fields of a config, each with the folder it is relative to. */
export function pathFields(config: GantryConfig, repoRoot: string): PathField[] {
  const root = resolve(repoRoot);
  const fields: PathField[] = [];
  config.components.forEach((c, i) => {
    const at = `components[${i}]`;
    const dir = resolve(root, c.path);
    fields.push({ field: `${at}.path`, value: c.path, base: root });
    fields.push({ field: `${at}.dockerfile`, value: c.dockerfile, base: dir });
    fields.push({ field: `${at}.junit`, value: c.junit, base: dir });
    if (typeof c.toolchain === 'object' && c.toolchain.lockfile)
      fields.push({ field: `${at}.toolchain.lockfile`, value: c.toolchain.lockfile, base: dir });
    // Environment paths are relative to each component's folder, so they are checked for every component.
    for (const [env, e] of environments(config)) {
      if (!e) continue;
      if (e.kustomize) fields.push({ field: `environments${env}.kustomize`, value: e.kustomize, base: dir });
      if (e.helm && !e.helm.chart.startsWith('oci://'))
        fields.push({ field: `environments${env}.helm.chart`, value: e.helm.chart, base: dir });
      e.helm?.values.forEach((v, j) => {
        fields.push({ field: `environments${env}.helm.values[${j}]`, value: v, base: dir });
      });
    }
  });
  if (config.signing.mode === 'key')
    fields.push({ field: 'signing.publicKey', value: config.signing.publicKey, base: root });
  if (builtinPolicyName(config.policy) === undefined)
    fields.push({ field: 'policy', value: config.policy, base: root });
  return fields;
}

/** Environments as `[field path, settings]`, the path as zod and the YAML errors write it: `environments[1]`. */
function environments(config: GantryConfig): [string, Environment | undefined][] {
  return config.environments.map((e, i) => [`[${i}]`, e]);
}

/**
 * Refuses (exit 2, naming the field) any path of the config that resolves outside `repoRoot`, symbolic links
 * included. The GitOps `file` lives in another repository: it must be relative and must not climb out of it.
 */
export function assertPathsInside(config: GantryConfig, repoRoot: string, file = 'gantry.yaml'): void {
  const root = realpathOrSelf(resolve(repoRoot));
  for (const { field, value, base } of pathFields(config, repoRoot)) {
    const target = resolve(base, value);
    const lexical = isInside(resolve(repoRoot), target);
    const real = realpathOfNearest(target);
    if (lexical && isInside(root, real)) continue;
    const how = lexical ? ` (a symbolic link to ${real})` : ` (${target})`;
    throw new InputError(
      'CONFIG_PATH_OUTSIDE',
      `${file}: ${field}: "${value}" resolves outside the repository${how}`,
      {
        hint: `${field} must name a file or folder inside the repository root ${repoRoot}; move the file into the repository or fix the path`,
      },
    );
  }
  for (const [env, e] of environments(config)) {
    const gitopsFile = e?.gitops?.file;
    if (gitopsFile === undefined) continue;
    const inRepo = resolve('/repo', gitopsFile);
    if (isAbsolute(gitopsFile) || !isInside('/repo', inRepo)) {
      throw new InputError(
        'CONFIG_PATH_OUTSIDE',
        `${file}: environments${env}.gitops.file: "${gitopsFile}" leaves the GitOps repository`,
        { hint: 'give the file relative to the GitOps repository root, without ".." that climbs out of it' },
      );
    }
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The real path of `path`, or of its nearest existing parent joined with the rest. */
function realpathOfNearest(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      existing = parent;
    }
  }
}
