/**
 * Verifying a signature before deploying: `cosign verify` (public key, or keyless certificate identity and
 * issuer) with JSON output, parsed; every signature must name exactly the digest about to be deployed.
 */
import { resolve } from 'node:path';
import { dag, ExecError } from '@dagger.io/dagger';
import type { GantryConfig } from '../core/config/schema.ts';
import { PolicyError } from '../core/errors.ts';
import { type RegistryTarget, registryAccess, toolRef } from './services/registry.ts';
import { COSIGN_UID, type CosignVerifier, cosignVerify } from './tools/cosign.ts';
import { tail } from './tools/scanner-run.ts';

/** What a successful verification established. */
export interface VerifiedImage {
  ref: string;
  digest: string;
  /** How many signatures cosign verified. */
  signatures: number;
}

/**
 * Checks `cosign verify` JSON output against the expected digest: a non-empty array whose every element
 * has `critical.image.docker-manifest-digest` equal to `digest`.
 * @throws PolicyError (exit 3) otherwise.
 */
export function checkVerifyOutput(stdout: string, ref: string, digest: string): VerifiedImage {
  const refuse = (why: string) =>
    new PolicyError('SIGNATURE_MISMATCH', `signature check of ${ref} failed: ${why}`, {
      hint: 'deploy only the digest that was signed (see the run manifest); re-run the sign stage if the image was rebuilt',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw refuse('cosign verify printed no JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw refuse('cosign verify returned no signature');
  for (const entry of parsed) {
    const named = (entry as { critical?: { image?: Record<string, unknown> } })?.critical?.image?.[
      'docker-manifest-digest'
    ];
    if (named !== digest) throw refuse(`a signature names ${String(named)}, not ${digest}`);
  }
  return { ref, digest, signatures: parsed.length };
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** PEM of the public key: required in generated mode (the manifest's `signingPublicKey`). */
  publicKey?: string | undefined;
  /** Resolves `signing.publicKey` in key mode. @default process working directory */
  repoRoot?: string;
  /** The registry holding the image and its signature. @default public access, no credentials */
  registry?: RegistryTarget;
  /** The run: the verification runs fresh once per run (a key may be revoked since). @default a new id per process */
  runId?: string | undefined;
}

function verifierOf(signing: GantryConfig['signing'], options: VerifyOptions): CosignVerifier {
  const pem = (text: string) => dag.directory().withNewFile('cosign.pub', text).file('cosign.pub');
  switch (signing.mode) {
    case 'keyless':
      return { mode: 'keyless', identity: signing.identity, issuer: signing.issuer };
    case 'key':
      return {
        mode: 'key',
        publicKey: options.publicKey
          ? pem(options.publicKey)
          : dag.host().file(resolve(options.repoRoot ?? '.', signing.publicKey)),
        tlog: true,
      };
    case 'generated':
      if (!options.publicKey) {
        throw new PolicyError('NO_PUBLIC_KEY', 'no public key to verify the generated signature with', {
          hint: 'run the sign stage first; it keeps the public key in the run manifest (signingPublicKey)',
        });
      }
      return { mode: 'key', publicKey: pem(options.publicKey), tlog: false };
  }
}

/**
 * Verifies the signature of `ref` (`repository@sha256:…`) as `signing` says; resolves when cosign verified
 * it and every signature names that digest. Called by the deploy stages before anything is deployed.
 * @throws PolicyError (exit 3) when verification fails or names another digest.
 * @example await verify(manifest.components.api.image.ref, config.signing, { publicKey: manifest.signingPublicKey });
 */
export async function verify(
  ref: string,
  signing: GantryConfig['signing'],
  options: VerifyOptions = {},
): Promise<VerifiedImage> {
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(ref)?.[1];
  if (!digest) {
    throw new PolicyError('NOT_BY_DIGEST', `${ref} is not a reference by digest, so it cannot be verified`, {
      hint: 'deploy the repository@sha256:… reference recorded in the run manifest',
    });
  }
  const target = options.registry;
  const access = target ? await registryAccess(target, COSIGN_UID) : undefined;
  const run = cosignVerify(target ? toolRef(target, ref) : ref, verifierOf(signing, options), {
    ...(access ? { registry: access } : {}),
    insecureRegistry: target?.kind === 'embedded',
    runId: options.runId,
  });
  let stdout: string;
  try {
    stdout = await run.stdout();
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    throw new PolicyError(
      'SIGNATURE_INVALID',
      `cosign could not verify the signature of ${ref}\n${tail(error.stderr)}`,
      {
        hint: 'the image is unsigned or signed with another key/identity; run the sign stage for this digest',
      },
    );
  }
  return checkVerifyOutput(stdout, ref, digest);
}
