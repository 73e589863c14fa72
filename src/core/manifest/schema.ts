import { z } from 'zod';
import { splitImageRef } from '../image-ref.ts';

/** What a run id may look like: it is written into `gantry.env` lines and CI outputs, so no separators. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The manifest format version; bump on any incompatible change. */
export const MANIFEST_VERSION = 2;

const digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: 'a sha256 digest: sha256:<64 hex>' });
const timestamp = z.iso.datetime({ offset: true });

/**
 * One published image, addressed by digest. `ref` is the single source: `repository` and `digest` are
 * copies of its parts, and a record whose copies disagree with it is invalid (deploys read `ref` only).
 */
export const ImageRecord = z
  .strictObject({
    repository: z.string().min(1),
    digest,
    /** `repository@sha256:…`, the only form used to sign, verify, approve and deploy. */
    ref: z.string().regex(/^[^@\s]+@sha256:[a-f0-9]{64}$/),
    sbom: z.string().optional(),
  })
  .superRefine((image, ctx) => {
    const parts = splitImageRef(image.ref);
    if (!parts) return;
    for (const field of ['repository', 'digest'] as const) {
      if (image[field] !== parts[field]) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} ${image[field]} disagrees with ref ${image.ref} (expected ${parts[field]})`,
        });
      }
    }
  });

/** One stage's outcome in this run or an earlier one. */
export const StageRecord = z.strictObject({
  status: z.enum(['passed', 'failed', 'skipped', 'blocked']),
  startedAt: timestamp,
  durationMs: z.number().nonnegative(),
  message: z.string().optional(),
});

/** Per-component results. */
export const ComponentRecord = z.strictObject({
  toolchainImage: z.string().optional(),
  lockfileHash: z.string().optional(),
  tests: z
    .strictObject({
      passed: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      report: z.string(),
    })
    .optional(),
  image: ImageRecord.optional(),
  signature: z
    .strictObject({ ref: z.string(), signer: z.string(), attestations: z.array(z.string()).default([]) })
    .optional(),
});

/** Scan verdict of the scan or build stage. */
export const ScanRecord = z.strictObject({
  verdict: z.enum(['passed', 'blocked']),
  counts: z.record(z.string(), z.record(z.string(), z.number().int())),
  waivers: z.strictObject({
    applied: z.array(z.string()),
    expired: z.array(z.string()),
    unused: z.array(z.string()),
  }),
  reports: z.array(z.string()).default([]),
});

/** Who approved which manifest hash, where and when. */
export const ApprovalRecord = z.strictObject({
  hash: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  by: z.string().min(1),
  at: timestamp,
  platform: z.enum(['local', 'github', 'gitlab', 'jenkins']),
  url: z.string().optional(),
  /** The platform's run id (GitHub run id, GitLab pipeline id, Jenkins build tag). */
  runId: z.string().optional(),
  /** The job's own URL, where the platform has one (GitLab `CI_JOB_URL`). */
  jobUrl: z.string().optional(),
  selfApproved: z.boolean().default(false),
  /** The environment approved for (the stage `approve-<environment>`). */
  environment: z.string().optional(),
  /** The digests the signed approval attestation was attached to (this record is a note, not proof). */
  attested: z.array(z.string()).optional(),
});

/** One deployment to an environment. */
export const DeploymentRecord = z.strictObject({
  environment: z.string(),
  digests: z.record(z.string(), z.string()),
  result: z.enum(['deployed', 'rolled-back', 'failed']),
  at: timestamp,
  url: z.string().optional(),
  /** The deploy driver used. */
  driver: z.string().optional(),
  /** Namespace, release or GitOps path deployed to. */
  target: z.string().optional(),
  /** The manifest content hash the deployment was made from (what an approval binds to). */
  contentHash: z.string().optional(),
  /** Why it failed or rolled back. */
  message: z.string().optional(),
});

/** The run manifest: what passes between CI jobs and what an approval binds to. Never holds a secret. */
export const RunManifest = z.strictObject({
  version: z.literal(MANIFEST_VERSION),
  /** Letters, digits and `._:-` only (a UUID by default): it is written into `gantry.env` and CI outputs. */
  runId: z.string().regex(RUN_ID_PATTERN, {
    error: 'a run id: letters, digits and ._:- (at most 128), no spaces or newlines',
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
  platform: z.strictObject({
    name: z.enum(['local', 'github', 'gitlab', 'jenkins']),
    runUrl: z.string().optional(),
  }),
  source: z
    .strictObject({
      commit: z.string().regex(/^[a-f0-9]{40}$/),
      ref: z.string(),
      dirty: z.boolean(),
      /** SHA-256 of the tracked changes against the commit (`git diff HEAD`); later phases compare it. */
      trackedChanges: z.string().optional(),
    })
    .optional(),
  components: z.record(z.string(), ComponentRecord).default({}),
  scan: ScanRecord.optional(),
  imageScan: ScanRecord.optional(),
  signingPublicKey: z.string().optional(),
  /** PEM of the key generated to sign approvals in a local run (`generated` approval mode, never on CI). */
  approvalPublicKey: z.string().optional(),
  /** Where the build stage published: a configured registry, or the embedded one (local runs only). */
  registry: z.strictObject({ address: z.string().min(1), embedded: z.boolean() }).optional(),
  approvals: z.array(ApprovalRecord).default([]),
  deployments: z.array(DeploymentRecord).default([]),
  /** Each stage's last outcome, by stage name (stages of every phase of the run). */
  stages: z.record(z.string(), StageRecord).default({}),
  /** Each stage's validated output, by stage name (see `defineStage({ output })`). */
  outputs: z.record(z.string(), z.unknown()).default({}),
  /** Hash over the fields an approval covers (commit + digests); see `contentHash`. */
  contentHash: z.string().optional(),
});

/** A validated run manifest. */
export type RunManifest = z.infer<typeof RunManifest>;
/** One stage record. */
export type StageRecord = z.infer<typeof StageRecord>;
/** One approval record. */
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;
/** One deployment record. */
export type DeploymentRecord = z.infer<typeof DeploymentRecord>;
