/** Manifests for the atomic-write tests (in-process and crash): one image, a previous version on disk. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newManifest, writeManifest } from '../../../src/core/manifest/store.ts';

export const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** A manifest with one image; `c` makes the digest (and so the content) differ between versions. */
export function manifest(c: string) {
  const m = newManifest({ name: 'local' }, new Date('2026-11-22T10:00:00Z'));
  m.source = { commit: 'a'.repeat(40), ref: 'main', dirty: false };
  m.components.api = { image: { repository: 'reg/api', digest: digest(c), ref: `reg/api@${digest(c)}` } };
  return m;
}

/** A directory holding a valid previous manifest, and its text. */
export async function previous() {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-atomic-'));
  const file = join(dir, 'manifest.json');
  const old = manifest('1');
  await writeManifest(file, old);
  return { dir, file, old, before: await readFile(file, 'utf8') };
}
