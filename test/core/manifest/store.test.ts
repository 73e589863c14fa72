import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash, newManifest, readManifest, writeManifest } from '../../../src/core/manifest/store.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function sample() {
  const m = newManifest({ name: 'local' }, new Date('2026-11-22T10:00:00Z'));
  m.source = { commit: 'a'.repeat(40), ref: 'main', dirty: false };
  m.components.api = { image: { repository: 'reg/api', digest: digest('1'), ref: `reg/api@${digest('1')}` } };
  m.components.web = { image: { repository: 'reg/web', digest: digest('2'), ref: `reg/web@${digest('2')}` } };
  return m;
}

describe('contentHash', () => {
  it('is stable across key order and unrelated fields', () => {
    const a = sample();
    const b = sample();
    b.components = { web: b.components.web ?? {}, api: b.components.api ?? {} };
    b.deployments.push({
      environment: 'staging',
      digests: {},
      result: 'deployed',
      at: '2026-11-22T10:05:00Z',
    });
    b.runId = 'other';
    expect(contentHash(b)).toBe(contentHash(a));
    expect(contentHash(a)).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("changes when a digest, the commit or the run's generated public key changes", () => {
    const base = contentHash(sample());
    const otherDigest = sample();
    otherDigest.components.api = {
      image: { repository: 'reg/api', digest: digest('3'), ref: `reg/api@${digest('3')}` },
    };
    const otherCommit = sample();
    otherCommit.source = { commit: 'b'.repeat(40), ref: 'main', dirty: false };
    const otherKey = sample();
    otherKey.signingPublicKey = '-----BEGIN PUBLIC KEY-----\nattacker\n-----END PUBLIC KEY-----\n';
    expect(contentHash(otherKey)).not.toBe(base);
    expect(contentHash(otherDigest)).not.toBe(base);
    expect(contentHash(otherCommit)).not.toBe(base);
  });
});

describe('manifest files', () => {
  it('round-trips through an atomic write and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'out', 'manifest.json');
    const manifest = sample();
    await writeManifest(file, manifest);
    expect(await readManifest(file)).toEqual({ ...manifest, contentHash: contentHash(manifest) });
    expect(await readdir(join(dir, 'out'))).toEqual(['manifest.json']);
  });

  it('a manifest edited outside Gantry is MANIFEST_CHANGED (exit 4) when read back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'manifest.json');
    await writeManifest(file, sample());
    const written = JSON.parse(await readFile(file, 'utf8'));
    const edits: [string, (m: typeof written) => void][] = [
      ['commit', (m) => (m.source.commit = 'b'.repeat(40))],
      ['hash removed', (m) => delete m.contentHash],
      ['image ref', (m) => (m.components.api.image.ref = `evil/api@${digest('e')}`)],
      ['signing key', (m) => (m.signingPublicKey = 'other')],
    ];
    for (const [what, edit] of edits) {
      const copy = structuredClone(written);
      edit(copy);
      await writeFile(file, JSON.stringify(copy));
      await expect(readManifest(file), what).rejects.toMatchObject({ code: 'MANIFEST_CHANGED', exitCode: 4 });
    }
    // Fields the hash does not cover (stage records) are not an edit of what an approval binds to.
    const notes = structuredClone(written);
    notes.stages = {};
    await writeFile(file, JSON.stringify(notes));
    await expect(readManifest(file)).resolves.toBeDefined();
  });

  it('an output folder that cannot be created is MANIFEST_UNWRITABLE (exit 2) naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    await writeFile(join(dir, 'file'), 'not a folder');
    const file = join(dir, 'file', 'out', 'manifest.json');
    await expect(writeManifest(file, sample())).rejects.toMatchObject({
      code: 'MANIFEST_UNWRITABLE',
      exitCode: 2,
    });
    await expect(writeManifest(file, sample())).rejects.toThrow(file);
  });

  it('returns undefined when there is no manifest yet', async () => {
    expect(await readManifest('/nonexistent/manifest.json')).toBeUndefined();
  });

  it('rejects a truncated or invalid manifest with exit 2, never ignoring it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'manifest.json');
    const text = `${JSON.stringify(sample())}`;
    await writeFile(file, text.slice(0, text.length / 2));
    await expect(readManifest(file)).rejects.toMatchObject({ exitCode: 2, code: 'MANIFEST_INVALID' });
    await writeFile(
      file,
      JSON.stringify({ ...sample(), source: { commit: 'HEAD', ref: 'main', dirty: false } }),
    );
    await expect(readManifest(file)).rejects.toThrow(/source\.commit/);
    await writeFile(file, JSON.stringify({ ...sample(), version: 99 }));
    await expect(readManifest(file)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('refuses to write an invalid manifest and keeps the previous file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'manifest.json');
    await writeManifest(file, sample());
    const before = await readFile(file, 'utf8');
    const bad = sample();
    bad.components.api = { image: { repository: 'reg/api', digest: 'latest', ref: 'reg/api:latest' } };
    await expect(writeManifest(file, bad)).rejects.toMatchObject({ exitCode: 2 });
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('contentHash covers exactly the commit, the images and the generated key', () => {
  it('ignores a component without an image, and hashes a manifest without a source', () => {
    const base = sample();
    const withBare = sample();
    withBare.components.docs = {};
    expect(contentHash(withBare)).toBe(contentHash(base));
    const noSource = sample();
    delete noSource.source;
    expect(contentHash(noSource)).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(contentHash(noSource)).not.toBe(contentHash(base));
  });
});

describe('manifest errors say what failed and how to fix it', () => {
  it('names each invalid field, or "(top level)", with the hint to use the earlier manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'manifest.json');
    await writeFile(file, '[]');
    await expect(readManifest(file)).rejects.toThrow(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        message: expect.stringMatching(/is not valid:\n {2}\(top level\): /),
        hint: expect.stringContaining('use the manifest written by the earlier job unchanged'),
      }),
    );
    await writeFile(file, JSON.stringify({ ...sample(), runId: 5 }));
    await expect(readManifest(file)).rejects.toThrow(/\n {2}runId: /);
  });

  it('a truncated file is "not valid JSON (truncated?)", with the hint to download the artifact again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    const file = join(dir, 'manifest.json');
    await writeFile(file, '{"version":');
    await expect(readManifest(file)).rejects.toThrow(
      expect.objectContaining({
        exitCode: 2,
        code: 'MANIFEST_INVALID',
        message: `run manifest ${file} is not valid JSON (truncated?)`,
        hint: expect.stringContaining('download the manifest artifact again'),
      }),
    );
  });

  it('a path that exists but cannot be read is MANIFEST_UNREADABLE (exit 2), not "no manifest yet"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-manifest-'));
    await expect(readManifest(dir)).rejects.toThrow(
      expect.objectContaining({
        exitCode: 2,
        code: 'MANIFEST_UNREADABLE',
        message: `cannot read run manifest ${dir}`,
        hint: 'check permissions',
      }),
    );
  });
});
