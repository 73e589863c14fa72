/** ci-info's vendor list (its own data file), each with the environment that CI system sets. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GENERIC_CI_VARIABLES } from '../../src/core/platform.ts';

/** ci-info's `vendors.json` (ci-info 4.5.0, pinned in package.json), read independently of the code under test. */
export const CI_VENDORS = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('ci-info/vendors.json'), 'utf8'),
) as { name: string; constant: string; env: unknown }[];

/** The environment a CI system sets, built from its ci-info definition. */
export function envOf(spec: unknown): Record<string, string> {
  if (Array.isArray(spec)) return Object.assign({}, ...spec.map(envOf));
  if (typeof spec === 'string') return { [spec]: 'true' };
  const obj = spec as Record<string, unknown>;
  if (typeof obj.env === 'string' && typeof obj.includes === 'string')
    return { [obj.env]: `x${obj.includes}x` };
  if (Array.isArray(obj.any)) return { [String(obj.any.at(-1))]: 'true' };
  return obj as Record<string, string>;
}

/** Every CI system ci-info knows, with its environment. */
export const CI_SYSTEMS = CI_VENDORS.map((v) => ({ name: v.name, constant: v.constant, env: envOf(v.env) }));

/** Every variable name a CI definition reads. */
function namesOf(spec: unknown): string[] {
  if (Array.isArray(spec)) return spec.flatMap(namesOf);
  if (typeof spec === 'string') return [spec];
  const obj = spec as Record<string, unknown>;
  if (typeof obj.env === 'string') return [obj.env];
  if (Array.isArray(obj.any)) return obj.any.map(String);
  return Object.keys(obj);
}

/**
 * `env` as on a laptop: without any variable a CI system sets, so a test of the local path (a person running
 * `gantry` at their desk) behaves the same when the suite itself runs on CI.
 */
export function laptopEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const drop = new Set([...GENERIC_CI_VARIABLES, ...CI_VENDORS.flatMap((v) => namesOf(v.env))]);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !drop.has(name)));
}
