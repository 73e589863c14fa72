/**
 * A cosign key pair generated for one run (signing mode `generated`, the local default). The private key
 * is encrypted with a random password that exists only as a Dagger secret; the public key is kept in the
 * run manifest so that later stages (and jobs) can verify. Not for production: a new key every run means
 * nothing outside the run can trust it. Production configs use `signing.mode: key` or `keyless`.
 */
import { randomBytes } from 'node:crypto';
import { dag, type Secret } from '@dagger.io/dagger';
import { COSIGN_KEYS_DIR, type CosignOptions, cosignGenerateKeyPair } from './tools/cosign.ts';

/** A generated key pair: the private key and its password as secrets, the public key as PEM text. */
export interface GeneratedKeyPair {
  privateKey: Secret;
  password: Secret;
  /** PEM of the public key (not secret). */
  publicKey: string;
}

/** Options of {@link generateKeyPair}. */
export interface GenerateKeyPairOptions extends CosignOptions {
  /** Names the secrets, so two runs in one engine do not collide. @default a random id */
  id?: string;
  /** Source of the password. @default 32 random bytes, base64url */
  randomPassword?: () => string;
}

/** Runs `cosign generate-key-pair` in its container with a random password held as a Dagger secret. */
export async function generateKeyPair(options: GenerateKeyPairOptions = {}): Promise<GeneratedKeyPair> {
  const {
    id = randomBytes(6).toString('hex'),
    randomPassword = () => randomBytes(32).toString('base64url'),
    ...cosign
  } = options;
  const password = dag.setSecret(`gantry-cosign-password-${id}`, randomPassword());
  const generated = cosignGenerateKeyPair(password, cosign);
  const [encryptedKey, publicKey] = await Promise.all([
    generated.file(`${COSIGN_KEYS_DIR}/cosign.key`).contents(),
    generated.file(`${COSIGN_KEYS_DIR}/cosign.pub`).contents(),
  ]);
  // The encrypted private key only ever travels back into the engine as a secret.
  const privateKey = dag.setSecret(`gantry-cosign-key-${id}`, encryptedKey);
  return { privateKey, password, publicKey };
}
