/**
 * Turns `config.signing` into a cosign signer: a key pair from secrets, a keyless OIDC identity token from
 * the CI, or a key pair generated for the run (the local default).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dag } from '@dagger.io/dagger';
import type { GantryConfig } from '../core/config/schema.ts';
import { InputError } from '../core/errors.ts';
import { generateKeyPair } from './keys.ts';
import type { CosignOptions, CosignSigner } from './tools/cosign.ts';

/** A resolved signer and what the manifest records about it. */
export interface ResolvedSigner {
  signer: CosignSigner;
  /** Who signed: `key:<public key path>`, the keyless identity, or `generated:<key fingerprint>`. */
  name: string;
  /** The PEM of the public key, when known (generated and key modes). */
  publicKey?: string | undefined;
  /**
   * The signer for one cosign call. Keyless on GitHub fetches a new OIDC token per call: the token lives about
   * 5 minutes (`exp - iat = 300s`: google-github-actions/auth#474, actions/toolkit#2048), so one token fetched
   * at the start of the stage can expire before the last attestation of a multi-component release. Facts §11.
   */
  forCall(): Promise<CosignSigner>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link resolveSigner}. */
export interface ResolveSignerOptions {
  env: Env;
  repoRoot: string;
  /** HTTP client for GitHub's OIDC token endpoint. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Passed to `cosign generate-key-pair`. @default {} */
  cosign?: CosignOptions;
}

/**
 * The OIDC identity token for keyless signing, as a secret. GitHub: requested on the host from
 * `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` and `audience=sigstore` (the job
 * needs `permissions: id-token: write`). GitLab: the `SIGSTORE_ID_TOKEN` variable of `id_tokens:`.
 */
export async function identityToken(
  env: Env,
  fetcher: typeof fetch = fetch,
  name = 'gantry-sigstore-id-token',
) {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url && bearer) {
    const request = new URL(url);
    request.searchParams.set('audience', 'sigstore');
    const response = await fetcher(request, { headers: { authorization: `bearer ${bearer}` } });
    const body = (await response.json().catch(() => ({}))) as { value?: unknown };
    if (!response.ok || typeof body.value !== 'string') {
      throw new InputError(
        'OIDC_TOKEN_FAILED',
        `GitHub refused the OIDC token request (HTTP ${response.status})`,
        {
          hint: 'give the job `permissions: id-token: write`',
        },
      );
    }
    return dag.setSecret(name, body.value);
  }
  if (env.SIGSTORE_ID_TOKEN) return dag.secret('env://SIGSTORE_ID_TOKEN');
  throw new InputError(
    'OIDC_TOKEN_MISSING',
    'keyless signing needs an OIDC identity token and none is available',
    {
      hint: 'GitHub: add `permissions: id-token: write`; GitLab: add `id_tokens: SIGSTORE_ID_TOKEN: { aud: sigstore }`; elsewhere use signing.mode: key',
    },
  );
}

const fingerprint = (pem: string) => createHash('sha256').update(pem).digest('hex').slice(0, 16);

/** Resolves the signer of `signing`. Generated mode runs `cosign generate-key-pair` in the engine. */
export async function resolveSigner(
  signing: GantryConfig['signing'],
  options: ResolveSignerOptions,
): Promise<ResolvedSigner> {
  switch (signing.mode) {
    case 'key': {
      const publicKey = await readFile(resolve(options.repoRoot, signing.publicKey), 'utf8').catch(
        () => undefined,
      );
      const signer: CosignSigner = {
        mode: 'key',
        key: dag.secret(signing.key),
        password: dag.secret(signing.password),
        tlog: true,
      };
      return { signer, name: `key:${signing.publicKey}`, publicKey, forCall: async () => signer };
    }
    case 'keyless': {
      let calls = 0;
      // A new token per call, each under its own secret name (GitHub); GitLab's id_tokens variable is as given.
      const fresh = async (): Promise<CosignSigner> => ({
        mode: 'keyless',
        idToken: await identityToken(options.env, options.fetch, `gantry-sigstore-id-token-${++calls}`),
      });
      return { signer: await fresh(), name: signing.identity, forCall: fresh };
    }
    case 'generated': {
      const pair = await generateKeyPair(options.cosign);
      // A key made for this run is not in any transparency log's trust root: no tlog upload.
      const signer: CosignSigner = {
        mode: 'key',
        key: pair.privateKey,
        password: pair.password,
        tlog: false,
      };
      return {
        signer,
        name: `generated:${fingerprint(pair.publicKey)}`,
        publicKey: pair.publicKey,
        forCall: async () => signer,
      };
    }
  }
}
