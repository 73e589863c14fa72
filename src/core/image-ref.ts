/**
 * The one image reference Gantry scans, signs, verifies, approves and deploys: `repository@sha256:<64 hex>`.
 * Everything else (the repository a driver pins, the digest cosign names) is derived from it here, so two
 * copies of the same fact can never disagree.
 */
import { InputError } from './errors.ts';

/** `repository@sha256:<64 hex>`: no tag, no whitespace, exactly one `@`. */
export const IMAGE_REF = /^([^@\s]+)@(sha256:[a-f0-9]{64})$/;

/** An image reference split into its parts. */
export interface ImageRef {
  /** `repository@sha256:…`, as given. */
  ref: string;
  /** Registry and path without tag or digest, e.g. `ghcr.io/acme/api`. */
  repository: string;
  /** `sha256:<64 hex>`. */
  digest: string;
}

/** The parts of `ref`, or `undefined` when it is not `repository@sha256:<64 hex>`. */
export function splitImageRef(ref: string): ImageRef | undefined {
  const match = IMAGE_REF.exec(ref);
  if (!match?.[1] || !match[2]) return undefined;
  // A tag before the digest (`repo:tag@sha256:…`) is not part of the repository; a registry port is.
  const name = match[1];
  const slash = name.lastIndexOf('/');
  const colon = name.indexOf(':', slash + 1);
  const repository = colon === -1 ? name : name.slice(0, colon);
  return { ref, repository, digest: match[2] };
}

/**
 * The parts of `ref`.
 * @throws InputError (exit 2) when `ref` is not a reference by digest.
 * @example parseImageRef('ghcr.io/acme/api@sha256:ab…').repository === 'ghcr.io/acme/api'
 */
export function parseImageRef(ref: string): ImageRef {
  const parts = splitImageRef(ref);
  if (!parts) {
    throw new InputError('IMAGE_REF_INVALID', `${ref} is not an image reference by digest`, {
      hint: 'use the repository@sha256:<64 hex> reference the build stage recorded in the run manifest',
    });
  }
  return parts;
}
