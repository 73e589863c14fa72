/**
 * The signed approval: an in-toto statement of predicate type {@link APPROVAL_PREDICATE_TYPE} that the approve
 * stage attaches to every approved digest with `cosign attest --type <uri>`, and that deploy stages read back
 * with `cosign verify-attestation --type <uri>` and check field by field. The manifest's approval record is a
 * note; this statement, verified against the approval key or identity, is the proof.
 *
 * cosign facts (v2.6.4; /work/notes/cosign-slsa-facts.md §1, §2, §4): a URI `--type` keeps the predicate JSON
 * object unchanged and sets `predicateType` to the URI; verify-attestation filters by exact predicateType and
 * prints one DSSE envelope per line, `{"payloadType":"application/vnd.in-toto+json","payload":"<base64>",…}`;
 * the statement's subject is `[{name: <repository>, digest: {sha256: <hex>}}]`, `_type` in-toto v0.1 (v1 accepted).
 */
import { z } from 'zod';
import { ApprovalError } from '../errors.ts';
import { parseImageRef } from '../image-ref.ts';
import type { PlatformName } from '../platform.ts';

/** The predicate type of a Gantry approval (a URI, so cosign keeps the predicate as written). */
export const APPROVAL_PREDICATE_TYPE = 'https://gantry.dev/approval/v1';

/** `_type` values of an in-toto statement: cosign writes v0.1; the in-toto spec v1 and GitHub write v1. */
const STATEMENT_TYPES = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];

const imageRef = z.string().regex(/^[^@\s]+@sha256:[a-f0-9]{64}$/);

/** What an approval says: which digests, for which environment, from which commit and run, by whom. */
export const ApprovalPredicate = z.strictObject({
  /** The environment approved, e.g. `production`. */
  environment: z.string().min(1),
  /** The commit the approved images were built from (the manifest's `source.commit`). */
  commit: z.string().regex(/^[a-f0-9]{40}$/),
  /** The platform's run id (GitHub run id, GitLab pipeline id, Jenkins build tag); locally the manifest run id. */
  runId: z.string().min(1),
  /** The run manifest's own run id. */
  manifestRunId: z.string().min(1),
  /** The reviewer, as the platform names them; `unknown` when the platform could not say. */
  approver: z.string().min(1),
  platform: z.enum(['local', 'github', 'gitlab', 'jenkins']),
  /** Where the approval was given (the run's URL). */
  runUrl: z.string().optional(),
  /** Every approved image, by component: `repository@sha256:…`. */
  images: z.record(z.string(), imageRef),
  approvedAt: z.iso.datetime({ offset: true }),
  /** `--yes` in a local run. */
  selfApproved: z.boolean(),
});

/** A Gantry approval predicate. */
export type ApprovalPredicate = z.infer<typeof ApprovalPredicate>;

/** A decoded in-toto statement carrying a Gantry approval. */
export interface ApprovalStatement {
  /** `sha256:<hex>` of each subject. */
  subjects: string[];
  predicate: ApprovalPredicate;
}

/**
 * The run id of the platform the job runs on: `GITHUB_RUN_ID` (shared by every job and reusable workflow of
 * one workflow run, kept across re-runs), `CI_PIPELINE_ID`, Jenkins `BUILD_TAG`; `undefined` locally.
 */
export function platformRunId(platform: PlatformName, env: Readonly<Record<string, string | undefined>>) {
  switch (platform) {
    case 'github':
      return env.GITHUB_RUN_ID || undefined;
    case 'gitlab':
      return env.CI_PIPELINE_ID || undefined;
    case 'jenkins':
      return env.BUILD_TAG || env.BUILD_NUMBER || undefined;
  }
  return undefined; // local
}

/**
 * Decodes `cosign verify-attestation --type <uri>` stdout (one DSSE envelope per line) into the approval
 * statements it holds. Lines that are not a Gantry approval statement are skipped; a malformed one is
 * reported by {@link checkApprovals} through the `rejected` list.
 */
export function decodeApprovals(stdout: string): { statements: ApprovalStatement[]; rejected: string[] } {
  const statements: ApprovalStatement[] = [];
  const rejected: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const envelope = JSON.parse(line) as { payload?: unknown };
      if (typeof envelope.payload !== 'string') throw new Error('no payload');
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
        _type?: unknown;
        predicateType?: unknown;
        subject?: { digest?: { sha256?: unknown } }[];
        predicate?: unknown;
      };
      if (!STATEMENT_TYPES.includes(String(statement._type))) throw new Error(`_type ${statement._type}`);
      if (statement.predicateType !== APPROVAL_PREDICATE_TYPE) continue;
      const predicate = ApprovalPredicate.safeParse(statement.predicate);
      if (!predicate.success) {
        const issues = predicate.error.issues.map(
          (i) => `${i.path.join('.') || '(predicate)'}: ${i.message}`,
        );
        throw new Error(`predicate ${issues.join('; ')}`);
      }
      const subjects = (statement.subject ?? []).flatMap((s) =>
        typeof s?.digest?.sha256 === 'string' ? [`sha256:${s.digest.sha256}`] : [],
      );
      statements.push({ subjects, predicate: predicate.data });
    } catch (error) {
      rejected.push(`an attestation is not a valid approval statement (${(error as Error).message})`);
    }
  }
  return { statements, rejected };
}

/** What an approval must say for a deploy to go ahead. Absent fields are not checked. */
export interface ApprovalExpectation {
  /** The image about to be deployed, `repository@sha256:…`. */
  ref: string;
  environment: string;
  /** The manifest's commit. Not checked for a redeploy of an earlier release. */
  commit?: string | undefined;
  /** The deploying job's platform run id (or, locally, the manifest run id). */
  runId?: string | undefined;
  /** The run manifest's run id. */
  manifestRunId?: string | undefined;
  /** The platform the deploying job runs on. */
  platform?: PlatformName | undefined;
}

/** Why `statement` does not approve `expected`; empty when it does. */
export function approvalMismatches(statement: ApprovalStatement, expected: ApprovalExpectation): string[] {
  const { digest } = parseImageRef(expected.ref);
  const p = statement.predicate;
  const wrong: string[] = [];
  if (!statement.subjects.includes(digest)) wrong.push(`its subject is ${statement.subjects.join(', ')}`);
  if (!Object.values(p.images).includes(expected.ref))
    wrong.push(`it names ${Object.values(p.images).join(', ')}`);
  if (p.environment !== expected.environment) wrong.push(`environment ${p.environment}`);
  if (expected.commit !== undefined && p.commit !== expected.commit) wrong.push(`commit ${p.commit}`);
  if (expected.platform !== undefined && p.platform !== expected.platform)
    wrong.push(`platform ${p.platform}`);
  if (expected.runId !== undefined && p.runId !== expected.runId) wrong.push(`run ${p.runId}`);
  if (expected.manifestRunId !== undefined && p.manifestRunId !== expected.manifestRunId)
    wrong.push(`manifest run ${p.manifestRunId}`);
  return wrong;
}

/**
 * The approval among `stdout`'s verified statements that approves `expected` in every field.
 * @throws ApprovalError (exit 4) naming what each candidate got wrong, or that there is none.
 */
export function checkApprovals(stdout: string, expected: ApprovalExpectation): ApprovalPredicate {
  const { statements, rejected } = decodeApprovals(stdout);
  const reasons = [...rejected];
  for (const statement of statements) {
    const wrong = approvalMismatches(statement, expected);
    if (wrong.length === 0) return statement.predicate;
    reasons.push(`an approval by ${statement.predicate.approver} does not match: ${wrong.join('; ')}`);
  }
  const wanted = [
    `environment ${expected.environment}`,
    ...(expected.commit ? [`commit ${expected.commit.slice(0, 12)}`] : []),
    ...(expected.runId ? [`run ${expected.runId}`] : []),
  ].join(', ');
  throw new ApprovalError(
    statements.length === 0 && rejected.length === 0 ? 'APPROVAL_MISSING' : 'APPROVAL_MISMATCH',
    `no signed approval of ${expected.ref} for ${wanted}${reasons.length ? `:\n  ${reasons.join('\n  ')}` : ''}`,
    {
      hint: `approve this run's digests in its approve-${expected.environment} stage (gantry run --phase approve), then deploy from the same run`,
    },
  );
}
