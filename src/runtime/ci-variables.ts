import { writeFileAtomic } from '../core/atomic-write.ts';
import { InputError } from '../core/errors.ts';
import { RUN_ID_PATTERN, type RunManifest } from '../core/manifest/schema.ts';

const HASH_PATTERN = /^sha256:[a-f0-9]{64}$/;

/**
 * The variables a run hands to later CI jobs, as a dotenv file (`out/gantry.env`): GitLab reads it as the
 * `artifacts:reports:dotenv` report, the reusable GitHub workflow turns `GANTRY_MANIFEST_HASH` into an
 * output. `GANTRY_RUN_ID` always; `GANTRY_MANIFEST_HASH` once the build has fixed the digests;
 * `GANTRY_ENVIRONMENT` and `GANTRY_ENVIRONMENT_URL` after a deploy to an environment with a `url`.
 * Each value is checked against its format first, so no value can add a line (GitLab exports every line
 * of the report to later jobs): a bad one is an {@link InputError} (exit 2).
 */
export function ciVariables(manifest: RunManifest): string {
  const lines = [line('GANTRY_RUN_ID', manifest.runId, RUN_ID_PATTERN, 'letters, digits and ._:-')];
  if (manifest.contentHash)
    lines.push(line('GANTRY_MANIFEST_HASH', manifest.contentHash, HASH_PATTERN, 'sha256:<64 hex digits>'));
  // The URL of the environment deployed last, for the CI's deployment record: GitLab `environment:url:
  // $GANTRY_ENVIRONMENT_URL` (dotenv report), GitHub `environment: { url: … }` from the job output.
  const deployed = manifest.deployments.filter((d) => d.result === 'deployed' && d.url);
  const last = deployed[deployed.length - 1];
  if (last?.url)
    lines.push(
      line('GANTRY_ENVIRONMENT', last.environment, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a DNS label'),
      line('GANTRY_ENVIRONMENT_URL', last.url, /^https?:\/\/[^\s]+$/, 'an http(s) URL without spaces'),
    );
  return `${lines.join('\n')}\n`;
}

function line(name: string, value: string, pattern: RegExp, allowed: string): string {
  if (pattern.test(value)) return `${name}=${value}`;
  throw new InputError(
    'CI_VARIABLE_INVALID',
    `${name} would be ${JSON.stringify(value.slice(0, 80))}, not ${allowed}`,
    {
      hint: 'use the run manifest Gantry wrote, unchanged; a value with a newline would add lines to gantry.env',
    },
  );
}

/** Writes {@link ciVariables} atomically to `file`. */
export async function writeCiVariables(file: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(file, ciVariables(manifest));
}
