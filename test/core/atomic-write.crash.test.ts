import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { contentHash, readManifest } from '../../src/core/manifest/store.ts';
import { manifest, previous } from './support/manifests.ts';

const exec = promisify(execFile);

// The crash tests run the real write in a child process killed with SIGKILL. They live apart from
// atomic-write.test.ts, whose in-process tests the mutation run (vitest.mutation.config.ts) uses.

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
