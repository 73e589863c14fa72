/**
 * The check of a signed approval, field by field (src/core/approval/statement.ts), on the stdout of
 * `cosign verify-attestation --type https://gantry.dev/approval/v1`: one DSSE envelope per line whose base64
 * payload is the in-toto statement cosign built from the predicate (cosign v2.6.4 attestation.go, `_type`
 * v0.1, subject `{name, digest: {sha256}}`; /work/notes/cosign-slsa-facts.md §2, §4). cosign has verified
 * the signature; everything inside the statement is still data an approver of another run may have signed,
 * so every field that binds it to this deploy is checked here.
 */
import { describe, expect, it } from 'vitest';
import {
  type ApprovalExpectation,
  type ApprovalPredicate,
  approvalMismatches,
  checkApprovals,
  decodeApprovals,
  platformRunId,
} from '../../../src/core/approval/statement.ts';
import { refusal } from '../support/refusal.ts';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;
const REF = `registry.example.com/hello-api@${DIGEST}`;
const OTHER_HEX = 'cd'.repeat(32);
const OTHER_REF = `registry.example.com/hello-api@sha256:${OTHER_HEX}`;
const COMMIT = 'c'.repeat(40);

const predicate = (over: Partial<ApprovalPredicate> = {}): ApprovalPredicate => ({
  environment: 'production',
  commit: COMMIT,
  runId: '4711',
  manifestRunId: 'run-1',
  approver: 'ada',
  platform: 'github',
  runUrl: 'https://github.com/acme/app/actions/runs/4711',
  images: { 'hello-api': REF },
  approvedAt: '2025-01-02T04:00:00.000Z',
  selfApproved: false,
  ...over,
});

interface StatementParts {
  _type?: unknown;
  predicateType?: unknown;
  subject?: unknown;
  predicate?: unknown;
}

/** One line of cosign's stdout for `statement`. */
const envelope = (statement: StatementParts) =>
  JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [{ keyid: '', sig: 'MEUCIQ' }],
  });

const statement = (over: StatementParts = {}): StatementParts => ({
  _type: 'https://in-toto.io/Statement/v0.1',
  // written out: the type approvals already in registries carry, whatever the constant says
  predicateType: 'https://gantry.dev/approval/v1',
  subject: [{ name: 'registry.example.com/hello-api', digest: { sha256: HEX } }],
  predicate: predicate(),
  ...over,
});

const expected = (over: Partial<ApprovalExpectation> = {}): ApprovalExpectation => ({
  ref: REF,
  environment: 'production',
  commit: COMMIT,
  runId: '4711',
  manifestRunId: 'run-1',
  platform: 'github',
  ...over,
});

describe('platformRunId', () => {
  const env = {
    GITHUB_RUN_ID: '11',
    CI_PIPELINE_ID: '22',
    BUILD_TAG: 'jenkins-app-33',
    BUILD_NUMBER: '33',
  };
  it("takes each platform's own run id (GitHub run, GitLab pipeline, Jenkins build tag)", () => {
    expect(platformRunId('github', env)).toBe('11');
    expect(platformRunId('gitlab', env)).toBe('22');
    expect(platformRunId('jenkins', env)).toBe('jenkins-app-33');
    expect(platformRunId('local', env)).toBeUndefined();
  });
  it('falls back to the Jenkins build number, and treats an empty variable as absent', () => {
    expect(platformRunId('jenkins', { BUILD_NUMBER: '33' })).toBe('33');
    expect(platformRunId('jenkins', { BUILD_TAG: '', BUILD_NUMBER: '' })).toBeUndefined();
    expect(platformRunId('github', { GITHUB_RUN_ID: '' })).toBeUndefined();
    expect(platformRunId('gitlab', { CI_PIPELINE_ID: '' })).toBeUndefined();
  });
});

describe('decodeApprovals', () => {
  it('decodes every approval statement, one envelope per line, with its subjects', () => {
    const second = statement({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: 'a', digest: { sha256: HEX } },
        { name: 'b', digest: { sha512: 'ff' } },
        { name: 'c', digest: { sha256: OTHER_HEX } },
      ],
      predicate: predicate({ approver: 'grace' }),
    });
    const { statements, rejected } = decodeApprovals(`${envelope(statement())}\n\n  \n${envelope(second)}\n`);
    expect(rejected).toEqual([]);
    expect(statements).toEqual([
      { subjects: [DIGEST], predicate: predicate() },
      { subjects: [DIGEST, `sha256:${OTHER_HEX}`], predicate: predicate({ approver: 'grace' }) },
    ]);
  });

  it('skips a statement of another predicate type (a provenance or SBOM attested on the same image)', () => {
    const { statements, rejected } = decodeApprovals(
      envelope(statement({ predicateType: 'https://slsa.dev/provenance/v1' })),
    );
    expect(statements).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('keeps a statement without subjects, with none (it then approves nothing)', () => {
    const { statements } = decodeApprovals(envelope(statement({ subject: undefined })));
    expect(statements).toEqual([{ subjects: [], predicate: predicate() }]);
  });

  it.each([
    ['a line that is not JSON', '{"payload": "', /^an attestation is not a valid approval statement \(/],
    ['an envelope without a payload', '{"payloadType":"x"}', /\(no payload\)$/],
    [
      'a payload that is not a JSON statement',
      JSON.stringify({ payload: Buffer.from('not json').toString('base64') }),
      /^an attestation is not a valid approval statement \(.+\)$/,
    ],
    [
      'a statement of an unknown _type',
      envelope(statement({ _type: 'https://example.com/Statement' })),
      /\(_type https:\/\/example\.com\/Statement\)$/,
    ],
    [
      'a predicate with an extra field',
      envelope(statement({ predicate: { ...predicate(), admin: true } })),
      /\(predicate .+\)$/,
    ],
    [
      'a predicate whose image is not pinned by digest',
      envelope(statement({ predicate: predicate({ images: { 'hello-api': 'hello-api:latest' } }) })),
      /\(predicate images\.hello-api: .+\)$/,
    ],
    [
      'a predicate with a short commit',
      envelope(statement({ predicate: predicate({ commit: 'abc123' }) })),
      /\(predicate .+\)$/,
    ],
  ])('rejects %s, naming why', (_name, line, why) => {
    const { statements, rejected } = decodeApprovals(line);
    expect(statements).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(why);
  });
});

describe('decodeApprovals details', () => {
  it('names every field of the predicate that is wrong', () => {
    const bad = { ...predicate({ environment: '', commit: 'abc' }), admin: true };
    const { rejected } = decodeApprovals(envelope(statement({ predicate: bad })));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(
      /^an attestation is not a valid approval statement \(predicate environment: .+; commit: .+; \(predicate\): .*admin.*\)$/,
    );
  });

  it('skips a subject without a sha256 digest, or that is not an object, keeping the others', () => {
    const subject = [
      null,
      { name: 'a' },
      { name: 'b', digest: { sha512: 'ff' } },
      { name: 'c', digest: { sha256: HEX } },
    ];
    const { statements, rejected } = decodeApprovals(envelope(statement({ subject })));
    expect(rejected).toEqual([]);
    expect(statements.map((s) => s.subjects)).toEqual([[DIGEST]]);
  });
});

describe('the approval predicate schema', () => {
  const accepted = (over: Partial<ApprovalPredicate>) =>
    decodeApprovals(envelope(statement({ predicate: predicate(over) }))).statements.length === 1;

  it.each(['local', 'github', 'gitlab', 'jenkins'] as const)('takes an approval given on %s', (platform) => {
    expect(accepted({ platform })).toBe(true);
  });

  it('takes an approval time with a UTC offset', () => {
    expect(accepted({ approvedAt: '2025-01-02T06:00:00+02:00' })).toBe(true);
  });

  it.each([
    ['text before the reference', `@@${REF}`],
    ['a space in the repository', `registry.example.com/a b@${DIGEST}`],
    ['text after the digest', `${REF}0`],
  ])('refuses an image with %s', (_name, ref) => {
    expect(accepted({ images: { 'hello-api': ref } })).toBe(false);
  });

  it.each([
    ['text before the commit', `x${COMMIT}`],
    ['text after the commit', `${COMMIT}x`],
  ])('refuses a commit with %s', (_name, commit) => {
    expect(accepted({ commit })).toBe(false);
  });
});

describe('approvalMismatches', () => {
  const decoded = (over: Partial<ApprovalPredicate> = {}, subjects = [DIGEST]) => ({
    subjects,
    predicate: predicate(over),
  });

  it('is empty when every field matches', () => {
    expect(approvalMismatches(decoded(), expected())).toEqual([]);
  });

  it('checks only the fields the expectation names (a redeploy of an earlier release names no commit or run)', () => {
    expect(
      approvalMismatches(
        decoded({ commit: 'd'.repeat(40), runId: '1', manifestRunId: 'old', platform: 'gitlab' }),
        { ref: REF, environment: 'production' },
      ),
    ).toEqual([]);
  });

  it.each<[string, Partial<ApprovalPredicate>, string[] | undefined, string]>([
    ['another environment', { environment: 'staging' }, undefined, 'environment staging'],
    ['another commit', { commit: 'd'.repeat(40) }, undefined, `commit ${'d'.repeat(40)}`],
    ['another platform', { platform: 'local' }, undefined, 'platform local'],
    ['another platform run', { runId: '1' }, undefined, 'run 1'],
    ['another manifest run', { manifestRunId: 'run-0' }, undefined, 'manifest run run-0'],
    ['other images', { images: { 'hello-api': OTHER_REF } }, undefined, `it names ${OTHER_REF}`],
    ['another subject', {}, [`sha256:${OTHER_HEX}`], `its subject is sha256:${OTHER_HEX}`],
  ])('names %s', (_name, over, subjects, why) => {
    expect(approvalMismatches(decoded(over, subjects), expected())).toEqual([why]);
  });

  it('lists every subject and image it names, and joins what is wrong with semicolons', () => {
    const other = `sha256:${OTHER_HEX}`;
    const wrong = approvalMismatches(
      {
        subjects: [other, `sha256:${'ef'.repeat(32)}`],
        predicate: predicate({ images: { a: OTHER_REF, b: `x.io/b@sha256:${'ef'.repeat(32)}` } }),
      },
      expected(),
    );
    expect(wrong).toEqual([
      `its subject is ${other}, sha256:${'ef'.repeat(32)}`,
      `it names ${OTHER_REF}, x.io/b@sha256:${'ef'.repeat(32)}`,
    ]);
    const error = refusal(() =>
      checkApprovals(
        envelope(statement({ predicate: predicate({ environment: 'qa', runId: '9' }) })),
        expected(),
      ),
    );
    expect(error.message).toContain('an approval by ada does not match: environment qa; run 9');
  });

  it('names every field that is wrong, in order', () => {
    expect(
      approvalMismatches(
        decoded({ environment: 'qa', commit: 'e'.repeat(40), runId: '2', manifestRunId: 'x' }, []),
        expected(),
      ),
    ).toEqual(['its subject is ', 'environment qa', `commit ${'e'.repeat(40)}`, 'run 2', 'manifest run x']);
  });
});

describe('checkApprovals', () => {
  it('returns the predicate of the first statement that matches in every field', () => {
    const wrong = envelope(statement({ predicate: predicate({ approver: 'mallory', environment: 'qa' }) }));
    const right = envelope(statement({ predicate: predicate({ approver: 'ada' }) }));
    const later = envelope(statement({ predicate: predicate({ approver: 'grace' }) }));
    expect(checkApprovals(`${wrong}\n${right}\n${later}`, expected()).approver).toBe('ada');
  });

  it('is APPROVAL_MISSING when cosign printed no approval statement, with what was wanted and the fix', () => {
    const error = refusal(() => checkApprovals('', expected()));
    expect(error.code).toBe('APPROVAL_MISSING');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe(
      `no signed approval of ${REF} for environment production, commit cccccccccccc, run 4711`,
    );
    expect(error.hint).toBe(
      "approve this run's digests in its approve-production stage (gantry run --phase approve), then deploy from the same run",
    );
  });

  it('leaves out the commit and run it does not check', () => {
    const error = refusal(() => checkApprovals('', { ref: REF, environment: 'staging' }));
    expect(error.message).toBe(`no signed approval of ${REF} for environment staging`);
    expect(error.hint).toContain('approve-staging stage');
  });

  it('is APPROVAL_MISMATCH when approvals exist but none matches, naming each and what it got wrong', () => {
    const replayed = envelope(statement({ predicate: predicate({ approver: 'mallory', runId: '1' }) }));
    const error = refusal(() => checkApprovals(replayed, expected()));
    expect(error.code).toBe('APPROVAL_MISMATCH');
    expect(error.message).toBe(
      `no signed approval of ${REF} for environment production, commit cccccccccccc, run 4711:\n` +
        '  an approval by mallory does not match: run 1',
    );
  });

  it('is APPROVAL_MISMATCH, not MISSING, when the only statements are malformed, and says why each was rejected', () => {
    const error = refusal(() =>
      checkApprovals(`{"payloadType":"x"}\n${envelope(statement({ _type: 'x' }))}`, expected()),
    );
    expect(error.code).toBe('APPROVAL_MISMATCH');
    expect(error.message).toBe(
      `no signed approval of ${REF} for environment production, commit cccccccccccc, run 4711:\n` +
        '  an attestation is not a valid approval statement (no payload)\n' +
        '  an attestation is not a valid approval statement (_type x)',
    );
  });

  it('does not let a malformed statement hide a valid one', () => {
    const line = `{"payloadType":"x"}\n${envelope(statement())}`;
    expect(checkApprovals(line, expected()).approver).toBe('ada');
  });

  it('refuses an approval of the right digest signed for another environment (no cross-environment reuse)', () => {
    const error = refusal(() =>
      checkApprovals(envelope(statement({ predicate: predicate({ environment: 'staging' }) })), expected()),
    );
    expect(error.code).toBe('APPROVAL_MISMATCH');
    expect(error.message).toContain('does not match: environment staging');
  });
});
