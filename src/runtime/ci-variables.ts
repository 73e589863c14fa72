import { writeFileAtomic } from '../core/atomic-write.ts';
import type { RunManifest } from '../core/manifest/schema.ts';

/**
 * The variables a run hands to later CI jobs, as a dotenv file (`out/gantry.env`): GitLab reads it as the
 * `artifacts:reports:dotenv` report, the reusable GitHub workflow turns `GANTRY_MANIFEST_HASH` into an
 * output. `GANTRY_RUN_ID` always; `GANTRY_MANIFEST_HASH` once the build has fixed the digests.
 */
export function ciVariables(manifest: RunManifest): string {
  const lines = [`GANTRY_RUN_ID=${manifest.runId}`];
  if (manifest.contentHash) lines.push(`GANTRY_MANIFEST_HASH=${manifest.contentHash}`);
  return `${lines.join('\n')}\n`;
}

/** Writes {@link ciVariables} atomically to `file`. */
export async function writeCiVariables(file: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(file, ciVariables(manifest));
}
