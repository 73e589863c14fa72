import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kyvernoDisagreements, kyvernoPolicy } from '../../src/core/kyverno.ts';
import { REPO_ROOT } from '../stages/support.ts';

const keyMode = {
  mode: 'key',
  key: 'env://COSIGN_KEY',
  password: 'env://COSIGN_PASSWORD',
  publicKey: 'policies/kyverno/cosign.pub',
} as const;
const keyless = {
  mode: 'keyless',
  identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
} as const;

const shipped = async () =>
  parse(await readFile(join(REPO_ROOT, 'policies/kyverno/verify-images.yaml'), 'utf8'));
const publicKeyOf = (signing: typeof keyMode) => readFile(join(REPO_ROOT, signing.publicKey), 'utf8');

describe('Kyverno admission policy', () => {
  it('the shipped policy requires the public key the key-mode signing config names', async () => {
    const pem = await publicKeyOf(keyMode);
    expect(kyvernoDisagreements(await shipped(), keyMode, pem)).toEqual([]);
    expect(await shipped()).toEqual(kyvernoPolicy(keyMode, { publicKey: pem }));
  });

  it('reports a different key, a keyless config, and a policy that does not require the signature', async () => {
    const policy = await shipped();
    expect(
      kyvernoDisagreements(policy, keyMode, '-----BEGIN PUBLIC KEY-----\nother\n-----END PUBLIC KEY-----'),
    ).toEqual(['no attestor with the signing public key']);
    expect(kyvernoDisagreements(policy, keyless)).toEqual([
      `no keyless attestor with subject ${keyless.identity} and issuer ${keyless.issuer}`,
    ]);
    const optional = structuredClone(policy);
    optional.spec.rules[0].verifyImages[0].required = false;
    expect(kyvernoDisagreements(optional, keyMode, await publicKeyOf(keyMode))).toEqual([
      'verifyImages.required is not true',
    ]);
    expect(kyvernoDisagreements({ spec: { rules: [] } }, keyMode)).toEqual([
      'the policy has no verifyImages rule',
    ]);
  });

  it('writes a keyless policy with the same identity and issuer as the signing config', () => {
    const policy = kyvernoPolicy(keyless, { imageReferences: ['ghcr.io/acme/*'] });
    expect(policy.spec.rules[0]?.verifyImages[0]?.attestors[0]?.entries[0]).toEqual({
      keyless: {
        subject: keyless.identity,
        issuer: keyless.issuer,
        rekor: { url: 'https://rekor.sigstore.dev' },
      },
    });
    expect(kyvernoDisagreements(policy, keyless)).toEqual([]);
    expect(kyvernoDisagreements(policy, { ...keyless, issuer: 'https://gitlab.com' })).toHaveLength(1);
  });

  it('writes a generated-key policy that skips the transparency log the run never uploaded to', () => {
    const policy = kyvernoPolicy({ mode: 'generated' }, { publicKey: 'PEM' });
    expect(policy.spec.rules[0]?.verifyImages[0]?.attestors[0]?.entries[0]).toEqual({
      keys: { publicKeys: 'PEM', rekor: { ignoreTlog: true } },
    });
    expect(() => kyvernoPolicy({ mode: 'generated' })).toThrow(/public key/);
  });
});
