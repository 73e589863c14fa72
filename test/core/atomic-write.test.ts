import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type AtomicWriteFs, writeFileAtomic } from '../../src/core/atomic-write.ts';
import { writeManifest } from '../../src/core/manifest/store.ts';
import { manifest, previous } from './support/manifests.ts';

const _exec = promisify(execFile);

describe('writeFileAtomic: a failed write never replaces the manifest', () => {
  it('a rename that fails: the write rejects, the previous manifest stays, no temporary file is left', async () => {
    const { dir, file, before } = await previous();
    const failingRename: AtomicWriteFs = {
      ...fs,
      rename: async () => {
        throw Object.assign(new Error('EXDEV: rename failed'), { code: 'EXDEV' });
      },
    };
    await expect(writeManifest(file, manifest('2'), { fs: failingRename })).rejects.toThrow(/EXDEV/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('a disk that fills up mid-write: the write rejects, the previous manifest stays, no temporary file is left', async () => {
    const { dir, file, before } = await previous();
    const full: AtomicWriteFs = {
      ...fs,
      writeFile: (async (path: string, data: string) => {
        await fs.writeFile(path, data.slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }) as typeof fs.writeFile,
    };
    await expect(writeManifest(file, manifest('2'), { fs: full })).rejects.toThrow(/ENOSPC/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('replaces the target with the whole new content and creates missing directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-atomic-'));
    const file = join(dir, 'a', 'b', 'summary.md');
    await writeFileAtomic(file, 'first\n');
    await writeFileAtomic(file, 'second\n');
    expect(await readFile(file, 'utf8')).toBe('second\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['summary.md']);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
  });

  it('creates the file with mode 0644 under a umask that would make it private (077)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-atomic-'));
    // a file system whose new files come out 0600, as under umask 077 (process.umask cannot be set in the
    // worker threads the mutation run uses)
    const private077: AtomicWriteFs = {
      ...fs,
      writeFile: ((path: string, data: string) =>
        fs.writeFile(path, data, { mode: 0o600 })) as typeof fs.writeFile,
    };
    await writeFileAtomic(join(dir, 'manifest.json'), '{}\n', { fs: private077 });
    expect((await fs.stat(join(dir, 'manifest.json'))).mode & 0o777).toBe(0o644);
  });

  it.runIf(isMainThread)(
    'creates the file with mode 0644 whatever the umask (readable by a CI uploader, not writable by others)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'gantry-atomic-'));
      const previous = process.umask(0);
      try {
        await writeFileAtomic(join(dir, 'manifest.json'), '{}\n');
      } finally {
        process.umask(previous);
      }
      expect((await fs.stat(join(dir, 'manifest.json'))).mode & 0o777).toBe(0o644);
    },
  );
});
