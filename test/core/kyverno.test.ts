import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APPROVAL_PREDICATE_TYPE } from '../../src/core/approval/statement.ts';
import { kyvernoApprovalDisagreements, kyvernoDisagreements, kyvernoPolicy } from '../../src/core/kyverno.ts';
import { REPO_ROOT } from '../stages/support.ts';

const keyMode = {
  mode: 'key',
  key: 'env://COSIGN_KEY',
  password: 'env://COSIGN_PASSWORD',
  publicKey: 'policies/kyverno/cosign.pub',
} as const;
/** Key mode with a separate approval key, as the shipped policy is written from. */
const keyWithApproval = {
  ...keyMode,
  approval: {
    mode: 'key',
    key: 'env://GANTRY_APPROVAL_KEY',
    password: 'env://GANTRY_APPROVAL_PASSWORD',
    publicKey: 'policies/kyverno/approval.pub',
  },
} as const;
const APPROVALS = [{ environment: 'production', namespace: 'hello-api-production' }];
const keyless = {
  mode: 'keyless',
  identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
} as const;

const shipped = async () =>
  parse(await readFile(join(REPO_ROOT, 'policies/kyverno/verify-images.yaml'), 'utf8'));
const publicKeyOf = (signing: typeof keyMode) => readFile(join(REPO_ROOT, signing.publicKey), 'utf8');

describe('Kyverno admission policy', () => {
  it('the shipped policy requires the public key the key-mode signing config names, and the production approval', async () => {
    const pem = await publicKeyOf(keyMode);
    const approvalPem = await readFile(join(REPO_ROOT, keyWithApproval.approval.publicKey), 'utf8');
    expect(kyvernoDisagreements(await shipped(), keyMode, pem)).toEqual([]);
    expect(
      kyvernoApprovalDisagreements(await shipped(), keyWithApproval, ['production'], approvalPem),
    ).toEqual([]);
    expect(await shipped()).toEqual(
      kyvernoPolicy(keyWithApproval, {
        publicKey: pem,
        approvals: APPROVALS,
        approvalPublicKey: approvalPem,
      }),
    );
  });

  it('requires the approval attestation (type = approval URI, environment condition) with the approval key, not the release key', async () => {
    const pem = await publicKeyOf(keyMode);
    const approvalPem = await readFile(join(REPO_ROOT, keyWithApproval.approval.publicKey), 'utf8');
    const policy = kyvernoPolicy(keyWithApproval, {
      publicKey: pem,
      approvals: APPROVALS,
      approvalPublicKey: approvalPem,
    });
    // Kyverno decodes the predicate and evaluates conditions on it (kyverno/website verify-images/sigstore.md; facts §8).
    expect(policy.spec.rules[1]).toMatchObject({
      match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['hello-api-production'] } }] },
      verifyImages: [
        {
          attestations: [
            {
              type: APPROVAL_PREDICATE_TYPE,
              attestors: [{ entries: [{ keys: { publicKeys: approvalPem.trim() } }] }],
              conditions: [{ all: [{ key: '{{ environment }}', operator: 'Equals', value: 'production' }] }],
            },
          ],
        },
      ],
    });
    // A policy without the approval rule, with the release key as approval attestor, or for staging only disagrees.
    const plain = kyvernoPolicy(keyWithApproval, { publicKey: pem });
    expect(kyvernoApprovalDisagreements(plain, keyWithApproval, ['production'], approvalPem)).toHaveLength(1);
    const releaseKeyed = kyvernoPolicy(keyWithApproval, {
      publicKey: pem,
      approvals: APPROVALS,
      approvalPublicKey: pem,
    });
    expect(
      kyvernoApprovalDisagreements(releaseKeyed, keyWithApproval, ['production'], approvalPem),
    ).toHaveLength(1);
    const staging = kyvernoPolicy(keyWithApproval, {
      publicKey: pem,
      approvals: [{ environment: 'staging', namespace: 'hello-api-production' }],
      approvalPublicKey: approvalPem,
    });
    expect(kyvernoApprovalDisagreements(staging, keyWithApproval, ['production'], approvalPem)).toHaveLength(
      1,
    );
    // Keyless approvals are pinned to the approve workflow's identity.
    const keylessApproval = {
      ...keyless,
      approval: {
        mode: 'keyless',
        identity: 'https://github.com/acme/app/.github/workflows/gantry-approve.yml@refs/heads/main',
        issuer: keyless.issuer,
      },
    } as const;
    const k = kyvernoPolicy(keylessApproval, { approvals: APPROVALS });
    expect(kyvernoApprovalDisagreements(k, keylessApproval, ['production'])).toEqual([]);
    expect(
      kyvernoApprovalDisagreements(
        k,
        { ...keylessApproval, approval: { ...keylessApproval.approval, identity: keyless.identity } },
        ['production'],
      ),
    ).toHaveLength(1);
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
