import { describe, expect, it } from 'vitest';
import { requireApproval, stagingPassed, verifiedHash } from '../../../src/core/approval/binding.ts';
import { ApprovalError, ExitCode } from '../../../src/core/errors.ts';
import { contentHash } from '../../../src/core/manifest/store.ts';
import { digestOf, releasedManifest } from './helpers.ts';

const approval = (hash: string, platform: 'local' | 'github' = 'local') => ({
  hash,
  by: 'ada',
  at: '2025-01-02T04:00:00.000Z',
  platform,
  selfApproved: false,
});

function refusal(fn: () => unknown): ApprovalError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApprovalError);
    expect((error as ApprovalError).exitCode).toBe(ExitCode.approval);
    return error as ApprovalError;
  }
  throw new Error('expected an ApprovalError');
}

describe('requireApproval', () => {
  it('returns the approval whose hash is the recomputed content hash', () => {
    const m = releasedManifest();
    m.approvals.push(approval(contentHash(m)));
    expect(requireApproval(m)).toMatchObject({ by: 'ada', hash: contentHash(m) });
  });

  it('refuses an approval given for another hash', () => {
    const m = releasedManifest();
    m.approvals.push(approval(contentHash(releasedManifest('cd'))));
    expect(refusal(() => requireApproval(m)).code).toBe('APPROVAL_MISMATCH');
  });

  it('refuses when a digest was edited after approval, even with the stored hash updated to match', () => {
    const m = releasedManifest();
    m.approvals.push(approval(contentHash(m)));
    const component = m.components['hello-api'];
    if (!component?.image) throw new Error('fixture');
    component.image.digest = digestOf('ee');
    component.image.ref = `localhost:5000/hello-api@${digestOf('ee')}`;
    // Edited by hand: stored hash stale → refused as changed.
    expect(refusal(() => requireApproval(m)).code).toBe('MANIFEST_CHANGED');
    // Edited with the stored hash recomputed too → the approval no longer covers it.
    m.contentHash = contentHash(m);
    expect(refusal(() => requireApproval(m)).code).toBe('APPROVAL_MISMATCH');
  });

  it('refuses when the commit changed after approval', () => {
    const m = releasedManifest();
    m.approvals.push(approval(contentHash(m)));
    m.source = { commit: 'd'.repeat(40), ref: 'main', dirty: false };
    m.contentHash = contentHash(m);
    expect(refusal(() => requireApproval(m)).message).toMatch(/changed after approval/);
  });

  it('refuses with instructions when there is no approval at all', () => {
    const m = releasedManifest();
    const error = refusal(() => requireApproval(m));
    expect(error.code).toBe('APPROVAL_MISSING');
    expect(error.hint).toContain(`--approve ${contentHash(m)}`);
  });

  it('on a CI platform, refuses a local approval carried in the manifest', () => {
    const m = releasedManifest();
    m.approvals.push({ ...approval(contentHash(m)), selfApproved: true });
    expect(refusal(() => requireApproval(m, 'github')).code).toBe('APPROVAL_WRONG_PLATFORM');
    m.approvals.push(approval(contentHash(m), 'github'));
    expect(requireApproval(m, 'github').platform).toBe('github');
  });
});

describe('verifiedHash and stagingPassed', () => {
  it('recomputes the hash rather than trusting the stored field', () => {
    const m = releasedManifest();
    expect(verifiedHash(m)).toBe(m.contentHash);
    m.contentHash = contentHash(releasedManifest('cd'));
    expect(refusal(() => verifiedHash(m)).code).toBe('MANIFEST_CHANGED');
  });

  it('finds the staging deployment of exactly the current digests only', () => {
    const m = releasedManifest();
    const hash = contentHash(m);
    expect(stagingPassed(m, hash)?.environment).toBe('staging');
    const other = releasedManifest('cd');
    other.deployments = m.deployments;
    expect(stagingPassed(other, contentHash(other))).toBeUndefined();
    m.deployments[0] = { ...m.deployments[0], result: 'rolled-back' } as (typeof m.deployments)[number];
    expect(stagingPassed(m, hash)).toBeUndefined();
  });
});
