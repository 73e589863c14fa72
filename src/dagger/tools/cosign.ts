/**
 * cosign in its pinned container. Keys, passwords and identity tokens reach it only as Dagger secrets
 * (`withMountedSecret`, `withSecretVariable`); images are always named by digest, never by tag.
 */
import { type Container, dag, type File, type Secret } from '@dagger.io/dagger';
import { PolicyError } from '../../core/errors.ts';
import { IMAGES } from '../../core/images.ts';
import type { SLSA_PROVENANCE_V1 } from '../../core/provenance.ts';
import { freshPerRun } from '../fresh.ts';

/** The uid the cosign image runs as (distroless `nonroot`); mounted secrets are given to it. */
export const COSIGN_UID = '65532';
/** Where the private key is mounted. */
export const COSIGN_KEY = '/gantry/cosign.key';
/** Where the public key is mounted for `verify`. */
export const COSIGN_PUB = '/gantry/cosign.pub';
/** Where an attestation predicate is mounted. */
export const COSIGN_PREDICATE = '/gantry/predicate.json';

/** How cosign signs: with a key pair, or keyless with an OIDC identity token. */
export type CosignSigner =
  | { mode: 'key'; key: Secret; password: Secret; tlog: boolean }
  | { mode: 'keyless'; idToken: Secret };

/** How cosign verifies: with the public key, or the keyless certificate's identity and issuer. */
export type CosignVerifier =
  | { mode: 'key'; publicKey: File; tlog: boolean }
  | { mode: 'keyless'; identity: string; issuer: string };

/** Options of every cosign step. */
export interface CosignOptions {
  /** Adds registry access (service binding or credentials) to the container. @default none */
  registry?: (ctr: Container) => Container;
  /** Talk plain HTTP / untrusted TLS to the registry (the embedded registry only). @default false */
  insecureRegistry?: boolean;
  /** Image to run. @default IMAGES.cosign */
  image?: string;
  /** The run: `verify` runs fresh once per run, never answered from an earlier run's cache. @default a new id per process */
  runId?: string | undefined;
}

/** The cosign container with registry access. */
export function cosignContainer(options: CosignOptions = {}): Container {
  const { registry = (c: Container) => c, image = IMAGES.cosign } = options;
  return dag.container().from(image).with(registry);
}

/** Asserts a reference is `repository@sha256:<64 hex>`: cosign never signs or verifies a tag. */
export function assertDigestRef(ref: string): string {
  if (!/^[^@\s]+@sha256:[a-f0-9]{64}$/.test(ref)) {
    throw new PolicyError('NOT_BY_DIGEST', `cosign signs and verifies by digest only, got ${ref}`, {
      hint: 'pass the repository@sha256:… reference the build stage recorded in the run manifest',
    });
  }
  return ref;
}

const insecureFlags = (options: CosignOptions) =>
  options.insecureRegistry ? ['--allow-http-registry', '--allow-insecure-registry'] : [];

function withSigner(signer: CosignSigner): (ctr: Container) => Container {
  return (ctr) =>
    signer.mode === 'key'
      ? ctr
          .withMountedSecret(COSIGN_KEY, signer.key, { owner: COSIGN_UID })
          .withSecretVariable('COSIGN_PASSWORD', signer.password)
      : ctr.withSecretVariable('SIGSTORE_ID_TOKEN', signer.idToken);
}

function signerFlags(signer: CosignSigner): string[] {
  if (signer.mode === 'keyless') return [];
  return ['--key', COSIGN_KEY, ...(signer.tlog ? [] : ['--tlog-upload=false'])];
}

/** argv of `cosign sign` for a digest reference. */
export function cosignSignArgs(ref: string, signer: CosignSigner, options: CosignOptions = {}): string[] {
  return ['cosign', 'sign', '--yes', ...signerFlags(signer), ...insecureFlags(options), assertDigestRef(ref)];
}

/** Signs an image by digest; the container's `sync()` pushes the signature. */
export function cosignSign(ref: string, signer: CosignSigner, options: CosignOptions = {}): Container {
  return cosignContainer(options)
    .with(withSigner(signer))
    .withExec(cosignSignArgs(ref, signer, options));
}

/**
 * Predicate types cosign attests: CycloneDX SBOM, vulnerability scan, SLSA v1 provenance. Provenance goes by
 * its URI (`https://slsa.dev/provenance/v1`), not `slsaprovenance1`, so cosign keeps the predicate unchanged
 * (see {@link SLSA_PROVENANCE_V1}).
 */
export type AttestationType = 'cyclonedx' | 'vuln' | typeof SLSA_PROVENANCE_V1;

/**
 * A predicate type given as a URI: cosign keeps the predicate JSON object as written and sets
 * `predicateType` to the URI (cosign v2.6.4 predicate.go `ParsePredicateType`, attestation.go `customType`).
 */
export type PredicateTypeUri = `https://${string}`;

/** argv of `cosign attest` of a predicate of `type` for a digest reference. */
export function cosignAttestArgs(
  ref: string,
  type: AttestationType | PredicateTypeUri,
  signer: CosignSigner,
  options: CosignOptions = {},
): string[] {
  return [
    'cosign',
    'attest',
    '--yes',
    ...signerFlags(signer),
    '--type',
    type,
    '--predicate',
    COSIGN_PREDICATE,
    ...insecureFlags(options),
    assertDigestRef(ref),
  ];
}

/** Attests a predicate (SBOM, vulnerability scan, provenance) for an image by digest. */
export function cosignAttest(
  ref: string,
  type: AttestationType | PredicateTypeUri,
  predicate: File,
  signer: CosignSigner,
  options: CosignOptions = {},
): Container {
  return cosignContainer(options)
    .with(withSigner(signer))
    .withMountedFile(COSIGN_PREDICATE, predicate)
    .withExec(cosignAttestArgs(ref, type, signer, options));
}

function verifierFlags(verifier: CosignVerifier): string[] {
  return verifier.mode === 'key'
    ? ['--key', COSIGN_PUB, ...(verifier.tlog ? [] : ['--insecure-ignore-tlog=true'])]
    : ['--certificate-identity', verifier.identity, '--certificate-oidc-issuer', verifier.issuer];
}

/** argv of `cosign verify` with JSON output for a digest reference. */
export function cosignVerifyArgs(
  ref: string,
  verifier: CosignVerifier,
  options: CosignOptions = {},
): string[] {
  return [
    'cosign',
    'verify',
    ...verifierFlags(verifier),
    '--output',
    'json',
    ...insecureFlags(options),
    assertDigestRef(ref),
  ];
}

/**
 * argv of `cosign verify-attestation --type <uri>`. The type is always given: it defaults to `custom`, and
 * only statements whose predicateType equals it exactly are printed (cosign v2.6.4 pkg/policy/attestation.go).
 */
export function cosignVerifyAttestationArgs(
  ref: string,
  type: PredicateTypeUri,
  verifier: CosignVerifier,
  options: CosignOptions = {},
): string[] {
  return [
    'cosign',
    'verify-attestation',
    ...verifierFlags(verifier),
    '--type',
    type,
    ...insecureFlags(options),
    assertDigestRef(ref),
  ];
}

/** Verifies the attestations of `type` on an image by digest; stdout holds one DSSE envelope per line. */
export function cosignVerifyAttestation(
  ref: string,
  type: PredicateTypeUri,
  verifier: CosignVerifier,
  options: CosignOptions = {},
): Container {
  // Fresh every run, like `cosign verify`: the registry's attestations change, Dagger's cache key does not.
  const ctr = cosignContainer(options).with(freshPerRun(options.runId));
  const withKey = verifier.mode === 'key' ? ctr.withMountedFile(COSIGN_PUB, verifier.publicKey) : ctr;
  return withKey.withExec(cosignVerifyAttestationArgs(ref, type, verifier, options));
}

/** Verifies the signature of an image by digest; its stdout is cosign's JSON array. */
export function cosignVerify(ref: string, verifier: CosignVerifier, options: CosignOptions = {}): Container {
  const ctr = cosignContainer(options).with(freshPerRun(options.runId));
  const withKey = verifier.mode === 'key' ? ctr.withMountedFile(COSIGN_PUB, verifier.publicKey) : ctr;
  return withKey.withExec(cosignVerifyArgs(ref, verifier, options));
}

/** Folder `cosign generate-key-pair` writes `cosign.key` and `cosign.pub` into. */
export const COSIGN_KEYS_DIR = '/keys';

/** `cosign generate-key-pair`, the private key encrypted with `password` (a secret). */
export function cosignGenerateKeyPair(password: Secret, options: CosignOptions = {}): Container {
  return cosignContainer(options)
    .withDirectory(COSIGN_KEYS_DIR, dag.directory(), { owner: COSIGN_UID })
    .withWorkdir(COSIGN_KEYS_DIR)
    .withSecretVariable('COSIGN_PASSWORD', password)
    .withExec(['cosign', 'generate-key-pair', '--output-key-prefix', `${COSIGN_KEYS_DIR}/cosign`]);
}
