/**
 * The Kyverno ClusterPolicy that requires, at admission, the same signature the sign stage makes: the same
 * public key (key and generated modes) or the same keyless identity and issuer. {@link kyvernoPolicy}
 * writes it from the signing config; {@link kyvernoDisagreements} checks a policy against the config.
 */
import type { GantryConfig } from './config/schema.ts';

/** Options of {@link kyvernoPolicy}. */
export interface KyvernoOptions {
  /** Image patterns the policy applies to. @default ['*'] */
  imageReferences?: string[];
  /** PEM of the public key (key and generated modes). */
  publicKey?: string | undefined;
  /** Policy name. @default 'gantry-verify-images' */
  name?: string;
}

type Signing = GantryConfig['signing'];

function attestor(signing: Signing, publicKey: string | undefined) {
  if (signing.mode === 'keyless') {
    return {
      keyless: {
        subject: signing.identity,
        issuer: signing.issuer,
        rekor: { url: 'https://rekor.sigstore.dev' },
      },
    };
  }
  if (!publicKey) throw new Error(`signing mode ${signing.mode} needs the public key to write the policy`);
  // A generated key is never uploaded to the transparency log (see steps/signing.ts).
  return {
    keys: {
      publicKeys: publicKey.trim(),
      ...(signing.mode === 'generated' ? { rekor: { ignoreTlog: true } } : {}),
    },
  };
}

/** The ClusterPolicy (as an object) requiring a signature made as `signing` says, on every Pod. */
export function kyvernoPolicy(signing: Signing, options: KyvernoOptions = {}) {
  const { imageReferences = ['*'], publicKey, name = 'gantry-verify-images' } = options;
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name,
      annotations: {
        'policies.kyverno.io/title': 'Require Gantry image signatures',
        'policies.kyverno.io/description':
          'Images must carry the cosign signature made by the Gantry sign stage.',
      },
    },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'require-signature',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              imageReferences,
              required: true,
              mutateDigest: true,
              verifyDigest: true,
              attestors: [{ count: 1, entries: [attestor(signing, publicKey)] }],
            },
          ],
        },
      ],
    },
  };
}

interface Entry {
  keys?: { publicKeys?: string };
  keyless?: { subject?: string; issuer?: string };
}

/** Where a policy (parsed YAML) and the signing config disagree; empty when they agree. */
export function kyvernoDisagreements(policy: unknown, signing: Signing, publicKey?: string): string[] {
  const spec = (
    policy as {
      spec?: { rules?: { verifyImages?: { required?: boolean; attestors?: { entries?: Entry[] }[] }[] }[] };
    }
  )?.spec;
  const rules = spec?.rules?.flatMap((r) => r.verifyImages ?? []) ?? [];
  if (rules.length === 0) return ['the policy has no verifyImages rule'];
  const problems: string[] = [];
  for (const rule of rules) {
    if (rule.required !== true) problems.push('verifyImages.required is not true');
    const entries = rule.attestors?.flatMap((a) => a.entries ?? []) ?? [];
    const ok = entries.some((e) =>
      signing.mode === 'keyless'
        ? e.keyless?.subject === signing.identity && e.keyless?.issuer === signing.issuer
        : publicKey !== undefined && e.keys?.publicKeys?.trim() === publicKey.trim(),
    );
    if (!ok) {
      problems.push(
        signing.mode === 'keyless'
          ? `no keyless attestor with subject ${signing.identity} and issuer ${signing.issuer}`
          : 'no attestor with the signing public key',
      );
    }
  }
  return problems;
}
