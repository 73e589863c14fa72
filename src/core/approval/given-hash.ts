import { ApprovalError } from '../errors.ts';

/** Refuses an `--approve <hash>` given for another manifest content hash than the current one. */
export function checkGivenHash(given: string | undefined, hash: string): void {
  if (given === undefined || given === hash) return;
  throw new ApprovalError(
    'APPROVAL_HASH_MISMATCH',
    `--approve ${given} does not match this run's manifest content hash ${hash}: ` +
      'the digests or the commit differ from what was approved',
    { hint: `check the digests in the manifest, then approve them with --approve ${hash}` },
  );
}
