/**
 * The contracts of the standard stages: what each one outputs (kept in the run manifest under its name) and
 * how that output is recorded where the later standard stages and the release checks read it. A stage that
 * replaces a standard one (`standardStages({ replace })`) must return an output that passes the same schema;
 * Gantry then records it exactly as it records the standard stage's, so the stages after it work unchanged.
 */
import { z } from 'zod';
import type { RunManifest } from '../core/manifest/schema.ts';
import { ScanRecord } from '../core/manifest/schema.ts';

const digestRef = z.string().regex(/^[^@\s]+@sha256:[a-f0-9]{64}$/, { error: 'repository@sha256:<64 hex>' });

/** checkout — reads: the git work tree. Outputs: the commit, ref and whether tracked files differ. */
export const CheckoutOutput = z.strictObject({
  commit: z.string().regex(/^[a-f0-9]{40}$/),
  ref: z.string(),
  dirty: z.boolean(),
  /** SHA-256 of the tracked changes against the commit; later phases compare the work tree with it. */
  trackedChanges: z.string().optional(),
});

/** deps — reads: each component's lockfile. Outputs: per component, the toolchain image and the lockfile hash. */
export const DepsOutput = z.strictObject({
  components: z.record(z.string(), z.strictObject({ toolchainImage: z.string(), lockfileHash: z.string() })),
});

/** test — reads: the deps containers. Outputs: per component, test counts and the JUnit report path. */
export const TestOutput = z.strictObject({
  components: z.record(
    z.string(),
    z.strictObject({
      passed: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      report: z.string(),
    }),
  ),
});

/** scan — reads: the source, the policy. Outputs: the verdict, counts by severity, waivers and report paths. */
export const ScanOutput = ScanRecord;

/**
 * build — reads: the source, the policy. Outputs: per component, the published `repository@sha256:…`, the
 * SBOM (CycloneDX JSON) and the image scan report (Trivy JSON), paths relative to the repository root, which
 * `sign` attests; plus where it published and the image scan verdict.
 */
export const BuildOutput = z.strictObject({
  registry: z.strictObject({ address: z.string().min(1), embedded: z.boolean() }),
  images: z.record(z.string(), z.strictObject({ ref: digestRef, sbom: z.string(), scanReport: z.string() })),
  imageScan: ScanRecord.optional(),
});

/** sign — reads: build's output. Outputs: per component, the signature ref and the attestations made. */
export const SignOutput = z.strictObject({
  signer: z.string(),
  publicKey: z.string().optional(),
  signatures: z.record(z.string(), z.strictObject({ ref: z.string(), attestations: z.array(z.string()) })),
});

/** deploy-<env> — reads: the digests, approvals. Outputs: the environment, digests, result, target and URL. */
export const DeployOutput = z.strictObject({
  environment: z.string(),
  digests: z.record(z.string(), z.string()),
  result: z.enum(['deployed', 'rolled-back', 'failed']),
  target: z.string().optional(),
  url: z.string().optional(),
});

/** approve-<env> — reads: the digests and the previous environment's deployment. Outputs: who approved what, where. */
export const ApproveOutput = z.strictObject({
  environment: z.string(),
  hash: z.string(),
  by: z.string(),
  platform: z.string(),
  url: z.string().optional(),
});

/** One standard contract: its output schema, how a passing output is recorded, and how it is read back. */
export interface Contract<O> {
  readonly output: z.ZodType<O>;
  /** Writes a replacement's output into the manifest fields the later standard stages read. */
  readonly record: (manifest: RunManifest, output: O) => void;
  /** The standard stage's output, read from the manifest after it ran (`out`: the output folder, relative to the repository root). */
  readonly read: (manifest: RunManifest, stage: string, out: string) => O | undefined;
}

const components = (m: RunManifest) => Object.entries(m.components);
const relativeTo = (path: string | undefined) => path ?? '';

/** The contracts, by standard stage name (deploy and approve stages share one each). */
export const CONTRACTS = {
  checkout: {
    output: CheckoutOutput,
    record: (m, o) => {
      m.source = o;
    },
    read: (m) => m.source,
  } satisfies Contract<z.infer<typeof CheckoutOutput>>,
  deps: {
    output: DepsOutput,
    record: (m, o) => {
      for (const [name, c] of Object.entries(o.components))
        m.components[name] = { ...m.components[name], ...c };
    },
    read: (m) => ({
      components: Object.fromEntries(
        components(m).flatMap(([n, c]) =>
          c.toolchainImage && c.lockfileHash
            ? [[n, { toolchainImage: c.toolchainImage, lockfileHash: c.lockfileHash }]]
            : [],
        ),
      ),
    }),
  } satisfies Contract<z.infer<typeof DepsOutput>>,
  test: {
    output: TestOutput,
    record: (m, o) => {
      for (const [name, tests] of Object.entries(o.components))
        m.components[name] = { ...m.components[name], tests };
    },
    read: (m) => ({
      components: Object.fromEntries(components(m).flatMap(([n, c]) => (c.tests ? [[n, c.tests]] : []))),
    }),
  } satisfies Contract<z.infer<typeof TestOutput>>,
  scan: {
    output: ScanOutput,
    record: (m, o) => {
      m.scan = o;
    },
    read: (m) => m.scan,
  } satisfies Contract<z.infer<typeof ScanOutput>>,
  build: {
    output: BuildOutput,
    record: (m, o) => {
      m.registry = o.registry;
      if (o.imageScan) m.imageScan = o.imageScan;
      for (const [name, image] of Object.entries(o.images)) {
        const [repository = '', digest = ''] = image.ref.split('@');
        m.components[name] = {
          ...m.components[name],
          image: { repository, digest, ref: image.ref, sbom: image.sbom },
        };
      }
    },
    read: (m, _stage, out) =>
      m.registry && {
        registry: m.registry,
        images: Object.fromEntries(
          components(m).flatMap(([n, c]) =>
            c.image
              ? [
                  [
                    n,
                    {
                      ref: c.image.ref,
                      sbom: relativeTo(c.image.sbom),
                      scanReport: `${out}/reports/trivy-image-${n}.json`,
                    },
                  ],
                ]
              : [],
          ),
        ),
        ...(m.imageScan ? { imageScan: m.imageScan } : {}),
      },
  } satisfies Contract<z.infer<typeof BuildOutput>>,
  sign: {
    output: SignOutput,
    record: (m, o) => {
      if (o.publicKey) m.signingPublicKey = o.publicKey;
      for (const [name, s] of Object.entries(o.signatures)) {
        const c = m.components[name];
        if (c) c.signature = { ref: s.ref, signer: o.signer, attestations: s.attestations };
      }
    },
    read: (m) => {
      const signed = components(m).filter(([, c]) => c.signature);
      if (signed.length === 0) return undefined;
      return {
        signer: signed[0]?.[1].signature?.signer ?? '',
        ...(m.signingPublicKey ? { publicKey: m.signingPublicKey } : {}),
        signatures: Object.fromEntries(
          signed.map(([n, c]) => [
            n,
            { ref: c.signature?.ref ?? '', attestations: c.signature?.attestations ?? [] },
          ]),
        ),
      };
    },
  } satisfies Contract<z.infer<typeof SignOutput>>,
  deploy: {
    output: DeployOutput,
    record: () => {},
    read: (m, stage) => {
      const d = m.deployments.findLast((r) => `deploy-${r.environment}` === stage);
      return (
        d && {
          environment: d.environment,
          digests: d.digests,
          result: d.result,
          ...(d.target ? { target: d.target } : {}),
          ...(d.url ? { url: d.url } : {}),
        }
      );
    },
  } satisfies Contract<z.infer<typeof DeployOutput>>,
  approve: {
    output: ApproveOutput,
    record: () => {},
    read: (m, stage) => {
      const a = m.approvals.findLast((r) => `approve-${r.environment ?? 'production'}` === stage);
      return (
        a && {
          environment: a.environment ?? 'production',
          hash: a.hash,
          by: a.by,
          platform: a.platform,
          ...(a.url ? { url: a.url } : {}),
        }
      );
    },
  } satisfies Contract<z.infer<typeof ApproveOutput>>,
} as const;
