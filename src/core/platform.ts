import { createRequire } from 'node:module';
import type { RunManifest } from './manifest/schema.ts';

/** The CI platform a run is on, told by the variables each platform sets. */
export type PlatformName = RunManifest['platform']['name'];

/** Detects the CI platform and its run URL from the environment. */
export function detectPlatform(env: Readonly<Record<string, string | undefined>>): RunManifest['platform'] {
  if (env.GITHUB_ACTIONS === 'true') {
    const url =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return url ? { name: 'github', runUrl: url } : { name: 'github' };
  }
  if (env.GITLAB_CI === 'true')
    return env.CI_PIPELINE_URL ? { name: 'gitlab', runUrl: env.CI_PIPELINE_URL } : { name: 'gitlab' };
  if (env.JENKINS_URL || env.JENKINS_HOME)
    return env.BUILD_URL ? { name: 'jenkins', runUrl: env.BUILD_URL } : { name: 'jenkins' };
  return { name: 'local' };
}

/**
 * One CI system as `ci-info` (pinned) describes it in its `vendors.json`: the variable(s) that system sets.
 * `env` is a variable name (set and non-empty), `{ env, includes }` a value containing a string, `{ any }`
 * one of several variables, or a map of variable → exact value.
 */
export interface CiVendor {
  readonly name: string;
  readonly constant: string;
  readonly env: VendorEnv | readonly VendorEnv[];
}
type VendorEnv = string | { env: string; includes: string } | { any: string[] } | Record<string, string>;

/** The CI systems ci-info knows, from its own data file. */
export const CI_VENDORS: readonly CiVendor[] = createRequire(import.meta.url)('ci-info/vendors.json');

/**
 * Variables that ci-info reads as "on CI" for systems it does not name (ci-info `index.js`, `isCI`):
 * Jenkins and TeamCity's BUILD_ID/BUILD_NUMBER, the common CI and CONTINUOUS_INTEGRATION, and others.
 */
export const GENERIC_CI_VARIABLES = [
  'BUILD_ID',
  'BUILD_NUMBER',
  'CI',
  'CI_APP_ID',
  'CI_BUILD_ID',
  'CI_BUILD_NUMBER',
  'CI_NAME',
  'CONTINUOUS_INTEGRATION',
  'RUN_ID',
] as const;

type Env = Readonly<Record<string, string | undefined>>;

function matches(env: Env, spec: VendorEnv): boolean {
  if (typeof spec === 'string') return Boolean(env[spec]);
  if ('env' in spec && 'includes' in spec) return (env[spec.env] ?? '').includes(spec.includes);
  if ('any' in spec && Array.isArray(spec.any)) return spec.any.some((name) => Boolean(env[name]));
  return Object.entries(spec as Record<string, string>).every(([name, value]) => env[name] === value);
}

/**
 * The CI system `env` belongs to, by ci-info's vendor definitions, or `undefined`. ci-info's own exports are
 * computed from `process.env` when it is first imported, so its data is applied here to the `env` given
 * (the CLI passes the process's; tests pass their own), with ci-info's matching rules.
 */
export function ciVendorOf(env: Env): CiVendor | undefined {
  return CI_VENDORS.find((vendor) => {
    const specs = Array.isArray(vendor.env) ? vendor.env : [vendor.env as VendorEnv];
    return specs.every((spec) => matches(env, spec));
  });
}

/**
 * True on any CI system ci-info knows, or where one of the generic CI variables is set. Unlike ci-info,
 * `CI=false` does not switch detection off: a variable the job can set must not enable self-approval
 * (`--yes`) on a CI runner, so detection fails closed.
 */
export function isCI(env: Env): boolean {
  if (detectPlatform(env).name !== 'local' || ciVendorOf(env) !== undefined) return true;
  return GENERIC_CI_VARIABLES.some((name) => {
    const value = env[name]?.trim().toLowerCase();
    return value !== undefined && value !== '' && !(name === 'CI' && (value === 'false' || value === '0'));
  });
}
