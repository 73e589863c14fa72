import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinPolicyName } from './config/containment.ts';

/**
 * The absolute path of a file shipped in the gantry package (`policies/…`, `package.json`). This file sits in
 * `src/core/` in a source checkout and in `dist/src/core/` in the installed package, so the package root is
 * two or three folders up.
 */
export function packageFile(relative: string): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [resolve(here, '../..', relative), resolve(here, '../../..', relative)];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** The policy a config names when it names none. */
export const DEFAULT_POLICY = 'policies/default.yaml';

/**
 * The policy file to load: a shipped one named `builtin:default` or `builtin:strict`; the repository's own;
 * or — when the config keeps the default and the repository has no `policies/default.yaml` — the default
 * policy shipped with gantry.
 */
export function resolvePolicyFile(
  repoRoot: string,
  configured: string,
  exists: (path: string) => boolean = existsSync,
): string {
  const builtin = builtinPolicyName(configured);
  if (builtin !== undefined) return packageFile(`policies/${builtin}.yaml`);
  const local = resolve(repoRoot, configured);
  if (exists(local) || configured !== DEFAULT_POLICY) return local;
  return packageFile(DEFAULT_POLICY);
}

/**
 * Where a document shipped with gantry (`docs/configuration.md`) can be opened from `from` (the repository
 * root): `docs/…` in a gantry checkout, `node_modules/gantry/docs/…` where gantry is installed.
 */
export function docReference(from: string, doc: string): string {
  return relative(from, packageFile(doc)) || doc;
}
