import { ApprovalError } from '../errors.ts';
import type { ApprovalRecord, DeploymentRecord, RunManifest } from '../manifest/schema.ts';
import { contentHash } from '../manifest/store.ts';
import type { PlatformName } from '../platform.ts';

const short = (hash: string) => hash.slice(0, 19);

/**
 * The manifest's content hash, recomputed from its commit and digests. A stored `contentHash` that
 * differs means the manifest was edited by hand after it was written: refused (exit 4).
 */
export function verifiedHash(manifest: RunManifest): string {
  const hash = contentHash(manifest);
  if (manifest.contentHash !== undefined && manifest.contentHash !== hash) {
    throw new ApprovalError(
      'MANIFEST_CHANGED',
      `the run manifest was changed after it was written: stored content hash ${short(manifest.contentHash)}…, ` +
        `recomputed from its commit and digests ${short(hash)}…`,
      { hint: 'use the manifest artifact of the release job unchanged, or run the release again' },
    );
  }
  return hash;
}

/**
 * The approval that covers the manifest as it is now: its `hash` equals the recomputed content hash.
 * On a CI platform only an approval recorded by that platform counts (a local self-approval carried
 * into a CI job does not). Throws an {@link ApprovalError} when there is none.
 */
export function requireApproval(
  manifest: RunManifest,
  platform: PlatformName = 'local',
  environment = 'production',
): ApprovalRecord {
  const hash = verifiedHash(manifest);
  const matching = manifest.approvals.filter(
    (a) => a.hash === hash && (a.environment === undefined || a.environment === environment),
  );
  const valid = platform === 'local' ? matching : matching.filter((a) => a.platform === platform);
  const approval = valid.at(-1);
  if (approval) return approval;
  if (matching.length > 0) {
    throw new ApprovalError(
      'APPROVAL_WRONG_PLATFORM',
      `the approval of ${short(hash)}… was recorded on ${matching.map((a) => a.platform).join(', ')}, ` +
        `but this job runs on ${platform}`,
      { hint: `approve this run on ${platform} (its approve job), then run the promote phase again` },
    );
  }
  if (manifest.approvals.length > 0) {
    const others = manifest.approvals.map((a) => `${short(a.hash)}… by ${a.by}`).join(', ');
    throw new ApprovalError(
      'APPROVAL_MISMATCH',
      `no approval covers this manifest (content hash ${short(hash)}…): the approvals on record (${others}) ` +
        'are for other digests, so the manifest changed after approval',
      { hint: 'approve the digests as they are now: gantry run --phase approve, then --phase promote' },
    );
  }
  throw new ApprovalError('APPROVAL_MISSING', `deploying to ${environment} needs an approval of ${hash}`, {
    hint: `run approve-${environment} first: gantry run --only approve-${environment} --approve ${hash}`,
  });
}

/** The digests by component, as deployments record them. */
export function digestsOf(manifest: RunManifest): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const [name, component] of Object.entries(manifest.components)) {
    if (component.image) digests[name] = component.image.ref;
  }
  return digests;
}

/** The last successful deployment to an environment (staging by default) of exactly the manifest's current digests. */
export function stagingPassed(
  manifest: RunManifest,
  hash: string,
  environment = 'staging',
): DeploymentRecord | undefined {
  const current = JSON.stringify(sorted(digestsOf(manifest)));
  return manifest.deployments.findLast(
    (d) =>
      d.environment === environment &&
      d.result === 'deployed' &&
      (d.contentHash === undefined || d.contentHash === hash) &&
      JSON.stringify(sorted(d.digests)) === current,
  );
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
