import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { contentHash, newManifest, readManifest, writeManifest } from '../../src/core/manifest/store.ts';

const exec = promisify(execFile);
const digest = (c: string) => `sha256:${c.repeat(64)}`;

// The crash tests run the real write in a child process killed with SIGKILL. They live apart from
// atomic-write.test.ts, whose in-process tests the mutation run (vitest.mutation.config.ts) uses.
/** A manifest with one image; `c` makes the digest (and so the content) differ between versions. */
function manifest(c: string) {
  const m = newManifest({ name: 'local' }, new Date('2026-11-22T10:00:00Z'));
  m.source = { commit: 'a'.repeat(40), ref: 'main', dirty: false };
  m.components.api = { image: { repository: 'reg/api', digest: digest(c), ref: `reg/api@${digest(c)}` } };
  return m;
}

/** A directory holding a valid previous manifest, and its text. */
async function previous() {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-atomic-'));
  const file = join(dir, 'manifest.json');
  const old = manifest('1');
  await writeManifest(file, old);
  return { dir, file, old, before: await readFile(file, 'utf8') };
}

/** Runs the crash-writer child; it kills itself with SIGKILL at `point`. */
async function crashWhileWriting(file: string, dir: string, point: 'mid-write' | 'before-rename') {
  const next = join(dir, 'next.json');
  const written = manifest('2');
  await writeFile(next, JSON.stringify(written));
  // node itself (not the tsx wrapper, which would report its child's death as an exit code)
  const child = exec(process.execPath, [
    '--import',
    'tsx',
    join(import.meta.dirname, 'support/crash-writer.ts'),
    file,
    next,
    point,
  ]);
  const error = await child.then(
    () => undefined,
    (e: { signal?: string; killed?: boolean }) => e,
  );
  return { signal: error?.signal, written };
}

describe('writeFileAtomic: a crash never leaves a half-written manifest', () => {
  // A direct `writeFile(target)` fails both child-process tests: killed mid-write it leaves half a file
  // (not JSON), and it never reaches a rename, so the target holds the new manifest instead of the previous.
  it('killed (SIGKILL) after half the content reached the disk: the previous manifest is intact', async () => {
    const { dir, file, old, before } = await previous();
    expect((await crashWhileWriting(file, dir, 'mid-write')).signal).toBe('SIGKILL');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readManifest(file)).toEqual({ ...old, contentHash: contentHash(old) });
  });

  it('killed (SIGKILL) between write and rename: the previous manifest is intact', async () => {
    const { dir, file, old, before } = await previous();
    const { signal, written } = await crashWhileWriting(file, dir, 'before-rename');
    expect(signal).toBe('SIGKILL');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readManifest(file)).toEqual({ ...old, contentHash: contentHash(old) });
    // The whole new content was written, to a temporary file beside the target: only the rename was missing.
    const temps = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, temps[0] ?? ''), 'utf8'))).toEqual({
      ...written,
      contentHash: contentHash(written),
    });
  });
});
