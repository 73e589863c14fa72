/**
 * The Kyverno ClusterPolicy that requires, at admission, the same signature the sign stage makes: the same
 * public key (key and generated modes) or the same keyless identity and issuer. {@link kyvernoPolicy}
 * writes it from the signing config; {@link kyvernoDisagreements} checks a policy against the config.
 */
import { APPROVAL_PREDICATE_TYPE } from './approval/statement.ts';
import type { ApprovalSigning, GantryConfig } from './config/schema.ts';

/** Options of {@link kyvernoPolicy}. */
export interface KyvernoOptions {
  /** Image patterns the policy applies to. @default ['*'] */
  imageReferences?: string[];
  /** PEM of the public key (key and generated modes). */
  publicKey?: string | undefined;
  /** Policy name. @default 'gantry-verify-images' */
  name?: string;
  /**
   * Environments that require approval, with the namespace their Pods run in: each gets a rule requiring the
   * Gantry approval attestation for that environment. @default []
   */
  approvals?: { environment: string; namespace: string }[];
  /** PEM of the approval public key (approval key and generated modes). */
  approvalPublicKey?: string | undefined;
}

type Signing = GantryConfig['signing'];

function attestor(signing: Signing | ApprovalSigning, publicKey: string | undefined) {
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

/**
 * One rule per approval-gated environment: Pods in its namespace need the Gantry approval attestation
 * (`type` = the approval URI; kyverno/website verify-images/sigstore.md, facts §8) signed by the approval key
 * or identity, whose predicate names that environment. A separate rule: a verifyImages rule verifies
 * signatures or attestations, not both.
 */
function approvalRules(signing: Signing, imageReferences: string[], options: KyvernoOptions) {
  const approval = signing.approval ?? { mode: 'generated' as const };
  return (options.approvals ?? []).map(({ environment, namespace }) => ({
    name: `require-approval-${environment}`,
    match: { any: [{ resources: { kinds: ['Pod'], namespaces: [namespace] } }] },
    verifyImages: [
      {
        imageReferences: [...imageReferences],
        required: true,
        attestations: [
          {
            type: APPROVAL_PREDICATE_TYPE,
            attestors: [{ count: 1, entries: [attestor(approval, options.approvalPublicKey)] }],
            conditions: [{ all: [{ key: '{{ environment }}', operator: 'Equals', value: environment }] }],
          },
        ],
      },
    ],
  }));
}

/**
 * The ClusterPolicy (as an object) requiring a signature made as `signing` says on every Pod, and the
 * signed approval of their environment on Pods of approval-gated environments.
 */
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
        // Typed as extra entries, so `rules[0]` stays the signature rule for readers of the object.
        ...(approvalRules(signing, imageReferences, options) as unknown[]),
      ] as const,
    },
  };
}

interface Entry {
  keys?: { publicKeys?: string };
  keyless?: { subject?: string; issuer?: string };
}

interface AttestationRule {
  type?: string;
  attestors?: { entries?: Entry[] }[];
  conditions?: { all?: { key?: string; operator?: string; value?: unknown }[] }[];
}

function entryMatches(e: Entry, signing: Signing | ApprovalSigning, publicKey: string | undefined): boolean {
  return signing.mode === 'keyless'
    ? e.keyless?.subject === signing.identity && e.keyless?.issuer === signing.issuer
    : publicKey !== undefined && e.keys?.publicKeys?.trim() === publicKey.trim();
}

/**
 * Where a policy and the approval settings disagree: each gated environment needs an attestation rule of
 * the approval type, signed by the approval key or identity, with an `{{ environment }}` Equals condition.
 */
export function kyvernoApprovalDisagreements(
  policy: unknown,
  signing: Signing,
  environments: readonly string[],
  approvalPublicKey?: string,
): string[] {
  const approval = signing.approval ?? { mode: 'generated' as const };
  const rules = (
    (policy as { spec?: { rules?: { verifyImages?: { attestations?: AttestationRule[] }[] }[] } })?.spec
      ?.rules ?? []
  )
    .flatMap((r) => r.verifyImages ?? [])
    .flatMap((v) => v.attestations ?? []);
  return environments.flatMap((environment) => {
    const ok = rules.some(
      (a) =>
        a.type === APPROVAL_PREDICATE_TYPE &&
        (a.attestors ?? [])
          .flatMap((x) => x.entries ?? [])
          .some((e) => entryMatches(e, approval, approvalPublicKey)) &&
        (a.conditions ?? []).some((c) =>
          (c.all ?? []).some(
            (k) => k.key === '{{ environment }}' && k.operator === 'Equals' && k.value === environment,
          ),
        ),
    );
    return ok
      ? []
      : [
          `no ${APPROVAL_PREDICATE_TYPE} attestation rule for environment ${environment} signed by the approval key or identity`,
        ];
  });
}

/** Where a policy (parsed YAML) and the signing config disagree; empty when they agree. */
export function kyvernoDisagreements(policy: unknown, signing: Signing, publicKey?: string): string[] {
  const spec = (
    policy as {
      spec?: { rules?: { verifyImages?: { required?: boolean; attestors?: { entries?: Entry[] }[] }[] }[] };
    }
  )?.spec;
  // Signature rules only: the approval rules verify attestations (kyvernoApprovalDisagreements).
  const rules = (spec?.rules?.flatMap((r) => r.verifyImages ?? []) ?? []).filter(
    (v) => !('attestations' in (v as object)),
  );
  if (rules.length === 0) return ['the policy has no verifyImages rule'];
  const problems: string[] = [];
  for (const rule of rules) {
    if (rule.required !== true) problems.push('verifyImages.required is not true');
    const entries = rule.attestors?.flatMap((a) => a.entries ?? []) ?? [];
    const ok = entries.some((e) => entryMatches(e, signing, publicKey));
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
