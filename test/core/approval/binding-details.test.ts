/**
 * The details of the approval binding that the mutation run (reports/mutation/) showed unguarded: the
 * messages and hints of each refusal, a manifest without a stored hash, local runs, and which staging
 * deployment counts as "passed".
 */
import { describe, expect, it } from 'vitest';
import {
  digestsOf,
  requireApproval,
  stagingPassed,
  verifiedHash,
} from '../../../src/core/approval/binding.ts';
import { checkGivenHash } from '../../../src/core/approval/given-hash.ts';
import { contentHash } from '../../../src/core/manifest/store.ts';
import { releasedManifest } from './helpers.ts';

const approval = (hash: string, platform: 'local' | 'github' | 'gitlab' = 'local', by = 'ada') => ({
  hash,
  by,
  at: '2025-01-02T04:00:00.000Z',
  platform,
  selfApproved: false,
});
const short = (hash: string) => `${hash.slice(0, 19)}…`;

describe('verifiedHash', () => {
  it('accepts a manifest without a stored hash (before the build fixed the digests)', () => {
    const m = releasedManifest();
    delete m.contentHash;
    expect(verifiedHash(m)).toBe(contentHash(m));
  });

  it('names both hashes, shortened, and the fix when the manifest was edited', () => {
    const m = releasedManifest();
    const stored = `sha256:${'9'.repeat(64)}`;
    m.contentHash = stored;
    expect(() => verifiedHash(m)).toThrow(
      expect.objectContaining({
        code: 'MANIFEST_CHANGED',
        message:
          `the run manifest was changed after it was written: stored content hash ${short(stored)}, ` +
          `recomputed from its commit and digests ${short(contentHash(m))}`,
        hint: 'use the manifest artifact of the release job unchanged, or run the release again',
      }),
    );
  });
});

describe('requireApproval messages and platforms', () => {
  it('on a local run, an approval recorded on a CI platform for the same hash counts', () => {
    const m = releasedManifest();
    m.approvals.push(approval(contentHash(m), 'github'));
    expect(requireApproval(m, 'local')).toMatchObject({ platform: 'github' });
    expect(requireApproval(m)).toMatchObject({ platform: 'github' });
  });

  it('on CI, the last approval recorded on that platform wins', () => {
    const m = releasedManifest();
    const hash = contentHash(m);
    m.approvals.push(
      approval(hash, 'github', 'first'),
      approval(hash, 'gitlab', 'other'),
      approval(hash, 'github', 'last'),
    );
    expect(requireApproval(m, 'github').by).toBe('last');
  });

  it('an approval recorded for another environment does not cover this one', () => {
    const m = releasedManifest();
    const hash = contentHash(m);
    m.approvals.push({ ...approval(hash, 'local', 'qa-lead'), environment: 'qa' });
    expect(() => requireApproval(m, 'local', 'production')).toThrow(
      expect.objectContaining({ code: 'APPROVAL_MISMATCH' }),
    );
    expect(requireApproval(m, 'local', 'qa').by).toBe('qa-lead');
    m.approvals.push({ ...approval(hash, 'local', 'release-manager'), environment: 'production' });
    expect(requireApproval(m, 'local', 'production').by).toBe('release-manager');
    // a record without an environment (written before environments were named) covers the default
    m.approvals.push(approval(hash, 'local', 'legacy'));
    expect(requireApproval(m, 'local', 'production').by).toBe('legacy');
  });

  it('APPROVAL_WRONG_PLATFORM names where it was recorded, where the job runs, and the fix', () => {
    const m = releasedManifest();
    const hash = contentHash(m);
    m.approvals.push(approval(hash, 'local'), approval(hash, 'gitlab'));
    expect(() => requireApproval(m, 'github')).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_WRONG_PLATFORM',
        message: `the approval of ${short(hash)} was recorded on local, gitlab, but this job runs on github`,
        hint: 'approve this run on github (its approve job), then run the promote phase again',
      }),
    );
  });

  it('APPROVAL_MISMATCH lists the approvals on record and says how to approve again', () => {
    const m = releasedManifest();
    const other = contentHash(releasedManifest('cd'));
    m.approvals.push(approval(other, 'local', 'ada'), approval(other, 'local', 'bob'));
    const hash = contentHash(m);
    expect(() => requireApproval(m)).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_MISMATCH',
        message:
          `no approval covers this manifest (content hash ${short(hash)}): the approvals on record ` +
          `(${short(other)} by ada, ${short(other)} by bob) are for other digests, so the manifest changed after approval`,
        hint: 'approve the digests as they are now: gantry run --phase approve, then --phase promote',
      }),
    );
  });

  it('APPROVAL_MISSING names the full hash to approve', () => {
    const m = releasedManifest();
    const hash = contentHash(m);
    expect(() => requireApproval(m)).toThrow(
      expect.objectContaining({
        code: 'APPROVAL_MISSING',
        message: `deploying to production needs an approval of ${hash}`,
        hint: `run approve-production first: gantry run --only approve-production --approve ${hash}`,
      }),
    );
  });
});

describe('checkGivenHash', () => {
  it('says which hash was given, which is current, and how to approve', () => {
    const given = `sha256:${'1'.repeat(64)}`;
    const hash = `sha256:${'2'.repeat(64)}`;
    expect(() => checkGivenHash(undefined, hash)).not.toThrow();
    expect(() => checkGivenHash(hash, hash)).not.toThrow();
    expect(() => checkGivenHash(given, hash)).toThrow(
      expect.objectContaining({
        exitCode: 4,
        code: 'APPROVAL_HASH_MISMATCH',
        message:
          `--approve ${given} does not match this run's manifest content hash ${hash}: ` +
          'the digests or the commit differ from what was approved',
        hint: `check the digests in the manifest, then approve them with --approve ${hash}`,
      }),
    );
  });
});

describe('digestsOf and stagingPassed', () => {
  it('digestsOf leaves out components without an image', () => {
    const m = releasedManifest();
    m.components.docs = {};
    expect(digestsOf(m)).toEqual({ 'hello-api': m.components['hello-api']?.image?.ref });
  });

  it('counts only a successful staging deployment of exactly the current digests', () => {
    const hash = contentHash(releasedManifest());
    const base = releasedManifest();
    expect(stagingPassed(base, hash)).toBeDefined();
    const variants: [string, (d: (typeof base.deployments)[number]) => void][] = [
      ['production, not staging', (d) => (d.environment = 'production')],
      ['rolled back', (d) => (d.result = 'rolled-back' as typeof d.result)],
      ['another content hash', (d) => (d.contentHash = `sha256:${'7'.repeat(64)}`)],
      [
        'other digests',
        (d) => (d.digests = { 'hello-api': `localhost:5000/hello-api@sha256:${'0'.repeat(64)}` }),
      ],
    ];
    for (const [why, change] of variants) {
      const m = releasedManifest();
      const d = m.deployments[0];
      if (!d) throw new Error('no deployment');
      change(d);
      expect(stagingPassed(m, hash), why).toBeUndefined();
    }
    const noHash = releasedManifest();
    delete noHash.deployments[0]?.contentHash;
    expect(stagingPassed(noHash, hash)).toBeDefined();
  });

  it('compares digests whatever their key order', () => {
    const m = releasedManifest();
    const image = (c: string) => ({
      repository: `r/${c}`,
      digest: `sha256:${c.repeat(64)}`,
      ref: `r/${c}@sha256:${c.repeat(64)}`,
    });
    m.components = { a: { image: image('a') }, b: { image: image('b') } };
    m.deployments = [
      {
        environment: 'staging',
        digests: { b: image('b').ref, a: image('a').ref },
        result: 'deployed',
        at: '2025-01-02T03:10:00.000Z',
      },
    ];
    expect(stagingPassed(m, contentHash(m))).toBeDefined();
  });
});
