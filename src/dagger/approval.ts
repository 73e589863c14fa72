/**
 * Signed approvals in the registry: the approval signer (never the release signer), `cosign attest` of the
 * approval statement on each digest, and `cosign verify-attestation` of it before a gated deploy.
 * See src/core/approval/statement.ts for the statement and its field-by-field check.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dag, ExecError } from '@dagger.io/dagger';
import {
  APPROVAL_PREDICATE_TYPE,
  type ApprovalExpectation,
  type ApprovalPredicate,
  checkApprovals,
} from '../core/approval/statement.ts';
import type { ApprovalSigning, GantryConfig } from '../core/config/schema.ts';
import { ApprovalError, InputError } from '../core/errors.ts';
import type { RunManifest } from '../core/manifest/schema.ts';
import { generateKeyPair } from './keys.ts';
import { type RegistryTarget, registryAccess, toolRef } from './services/registry.ts';
import { identityToken } from './signing.ts';
import {
  COSIGN_UID,
  type CosignOptions,
  type CosignSigner,
  type CosignVerifier,
  cosignAttest,
  cosignVerifyAttestation,
} from './tools/cosign.ts';
import { tail } from './tools/scanner-run.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Signing = GantryConfig['signing'];

/** How approvals are signed: `signing.approval`, or a key generated for the run when absent. */
export function approvalSigning(signing: Signing): ApprovalSigning {
  return signing.approval ?? { mode: 'generated' };
}

const normalise = (pem: string) => pem.replace(/\s+/g, '');

function refuseGeneratedOnCi(what: string): never {
  throw new ApprovalError(
    'APPROVAL_GENERATED_ON_CI',
    `${what} with a key generated for the run, and that is refused on CI: anyone who can edit the run manifest could swap the key`,
    {
      hint: 'set signing.approval in gantry.yaml: mode key (a key only the approve job gets) or keyless (a dedicated approve workflow identity)',
    },
  );
}

async function readPem(repoRoot: string, path: string, field: string): Promise<string> {
  try {
    return await readFile(resolve(repoRoot, path), 'utf8');
  } catch (cause) {
    throw new InputError('APPROVAL_PUBLIC_KEY_MISSING', `cannot read ${field} ${path}`, {
      cause,
      hint: `commit the approval public key at ${path} (cosign generate-key-pair), or fix ${field}`,
    });
  }
}

/** The release signer's public key, where there is one (key mode: the file; generated: the manifest's). */
async function signingPublicKey(signing: Signing, repoRoot: string, manifest: RunManifest) {
  if (signing.mode === 'key')
    return readFile(resolve(repoRoot, signing.publicKey), 'utf8').catch(() => undefined);
  if (signing.mode === 'generated') return manifest.signingPublicKey;
  return undefined;
}

/** A resolved approval signer. */
export interface ApprovalSigner {
  signer: CosignSigner;
  /** `key:<public key path>`, the keyless identity, or `generated`. */
  name: string;
  /** PEM of a key generated for this run; kept in the manifest as `approvalPublicKey`. */
  generatedPublicKey?: string | undefined;
}

/** Inputs of {@link resolveApprovalSigner} and {@link approvalVerifier}. */
export interface ApprovalKeyOptions {
  env: Env;
  repoRoot: string;
  manifest: RunManifest;
  /** Whether the job runs on any CI system (where `generated` is refused). */
  onCI: boolean;
  /** HTTP client for GitHub's OIDC token endpoint (keyless). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Passed to `cosign generate-key-pair`. @default {} */
  cosign?: CosignOptions;
}

/**
 * Refuses an approval signer that must not be used, before anyone is asked to approve: a generated key on CI
 * (exit 4), an approval key whose public key is the release signer's (exit 2), an unreadable public key.
 */
export async function checkApprovalSigner(signing: Signing, options: ApprovalKeyOptions): Promise<void> {
  const approval = approvalSigning(signing);
  if (approval.mode === 'generated' && options.onCI) refuseGeneratedOnCi('approvals would be signed');
  if (approval.mode !== 'key') return;
  const pem = await readPem(options.repoRoot, approval.publicKey, 'signing.approval.publicKey');
  const release = await signingPublicKey(signing, options.repoRoot, options.manifest);
  if (release !== undefined && normalise(release) === normalise(pem)) {
    throw new InputError(
      'APPROVAL_KEY_IS_SIGNING_KEY',
      `signing.approval.publicKey (${approval.publicKey}) is the release signing key: an approval must be signed by a key the release job does not hold`,
      {
        hint: 'make a separate key pair for approvals (cosign generate-key-pair) and give its private key only to the approve job',
      },
    );
  }
}

/**
 * The signer of approvals (after {@link checkApprovalSigner}): the approval key, the approve workflow's
 * OIDC token (keyless), or a key pair generated now (generated).
 */
export async function resolveApprovalSigner(
  signing: Signing,
  options: ApprovalKeyOptions,
): Promise<ApprovalSigner> {
  await checkApprovalSigner(signing, options);
  const approval = approvalSigning(signing);
  switch (approval.mode) {
    case 'key':
      return {
        signer: {
          mode: 'key',
          key: dag.secret(approval.key),
          password: dag.secret(approval.password),
          tlog: true,
        },
        name: `key:${approval.publicKey}`,
      };
    case 'keyless':
      return {
        signer: { mode: 'keyless', idToken: await identityToken(options.env, options.fetch) },
        name: approval.identity,
      };
    case 'generated': {
      const pair = await generateKeyPair(options.cosign);
      return {
        signer: { mode: 'key', key: pair.privateKey, password: pair.password, tlog: false },
        name: 'generated',
        generatedPublicKey: pair.publicKey,
      };
    }
  }
}

/** The verifier of approvals: the approval public key, the approve workflow's identity, or the run's key. */
export async function approvalVerifier(
  signing: Signing,
  options: ApprovalKeyOptions,
): Promise<CosignVerifier> {
  const approval = approvalSigning(signing);
  const pem = (text: string) => dag.directory().withNewFile('approval.pub', text).file('approval.pub');
  switch (approval.mode) {
    case 'key':
      return {
        mode: 'key',
        publicKey: pem(await readPem(options.repoRoot, approval.publicKey, 'signing.approval.publicKey')),
        tlog: true,
      };
    case 'keyless':
      return { mode: 'keyless', identity: approval.identity, issuer: approval.issuer };
    case 'generated': {
      if (options.onCI) refuseGeneratedOnCi('the approval would be verified');
      const key = options.manifest.approvalPublicKey;
      if (!key) {
        throw new ApprovalError(
          'APPROVAL_MISSING',
          'this run has no approval: no approval key in the run manifest',
          {
            hint: 'run the approve stage of this run first (gantry run --phase approve)',
          },
        );
      }
      return { mode: 'key', publicKey: pem(key), tlog: false };
    }
  }
}

/** Where the images and their attestations live. */
export interface RegistryOptions {
  registry: RegistryTarget;
}

async function cosignOptions(target: RegistryTarget): Promise<CosignOptions> {
  return { registry: await registryAccess(target, COSIGN_UID), insecureRegistry: target.kind === 'embedded' };
}

/**
 * Attaches the approval statement to every approved digest (`cosign attest --type https://gantry.dev/approval/v1`).
 * Each digest has its own attestation tag, so the digests are attested concurrently.
 */
export async function attestApproval(
  predicate: ApprovalPredicate,
  signer: CosignSigner,
  options: RegistryOptions,
): Promise<string[]> {
  const cosign = await cosignOptions(options.registry);
  const file = dag.directory().withNewFile('approval.json', JSON.stringify(predicate)).file('approval.json');
  const refs = Object.values(predicate.images);
  await Promise.all(
    refs.map((ref) =>
      cosignAttest(toolRef(options.registry, ref), APPROVAL_PREDICATE_TYPE, file, signer, cosign).sync(),
    ),
  );
  return refs;
}

/**
 * Verifies, in the registry, a signed approval of `expected.ref` that matches every expected field.
 * @throws ApprovalError (exit 4) when cosign verifies none, or none matches.
 */
export async function verifyApproval(
  expected: ApprovalExpectation,
  verifier: CosignVerifier,
  options: RegistryOptions,
): Promise<ApprovalPredicate> {
  const cosign = await cosignOptions(options.registry);
  let stdout: string;
  try {
    stdout = await cosignVerifyAttestation(
      toolRef(options.registry, expected.ref),
      APPROVAL_PREDICATE_TYPE,
      verifier,
      { ...cosign, runId: expected.manifestRunId },
    ).stdout();
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    // cosign exits 1 both when there is no attestation and when none verifies (facts §2).
    throw new ApprovalError(
      'APPROVAL_NOT_VERIFIED',
      `no approval of ${expected.ref} for ${expected.environment} verifies with the approval key or identity\n${tail(error.stderr)}`,
      {
        hint: `approve this run's digests in its approve-${expected.environment} stage, signed with signing.approval`,
      },
    );
  }
  return checkApprovals(stdout, expected);
}
