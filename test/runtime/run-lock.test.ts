/** One run per out/ folder (proper-lockfile): a second run stops at once, exit 2, naming the holder. */
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { unwritableOutDir, withRunLock } from '../../src/runtime/run-lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('withRunLock', () => {
  it('refuses a second holder at once, naming the process, and frees the folder afterwards', async () => {
    const out = join(dir, 'out');
    let second: unknown;
    const started = Date.now();
    await withRunLock(out, async () => {
      second = await withRunLock(out, async () => 'ran').catch((e: unknown) => e);
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(second).toBeInstanceOf(InputError);
    expect(second).toMatchObject({ code: 'RUN_LOCKED', exitCode: 2 });
    expect((second as Error).message).toContain(`process ${process.pid}`);
    // Released: the folder holds no lock, and the next run gets it.
    expect(await readdir(out)).toEqual([]);
    await expect(withRunLock(out, async () => 'next')).resolves.toBe('next');
  });

  it('releases the lock when the run throws', async () => {
    const out = join(dir, 'out');
    await expect(
      withRunLock(out, async () => {
        throw new Error('stage exploded');
      }),
    ).rejects.toThrow('stage exploded');
    await expect(access(join(out, '.gantry-run.lock'))).rejects.toThrow();
    await expect(withRunLock(out, async () => 1)).resolves.toBe(1);
  });

  it('takes over a stale lock left by a crashed run', async () => {
    const out = join(dir, 'out');
    const { mkdir, utimes } = await import('node:fs/promises');
    await mkdir(join(out, '.gantry-run.lock'), { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await utimes(join(out, '.gantry-run.lock'), old, old);
    await expect(withRunLock(out, async () => 'recovered', { staleMs: 5_000 })).resolves.toBe('recovered');
  });

  it('an out/ that cannot be created or written is OUT_DIR_UNWRITABLE (exit 2) naming the path', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const out = join(dir, 'file', 'out');
    await expect(withRunLock(out, async () => 1)).rejects.toMatchObject({
      code: 'OUT_DIR_UNWRITABLE',
      exitCode: 2,
    });
    // Read-only folders (EACCES, EPERM, EROFS) map the same way; tests run as root, where chmod does not bite.
    for (const code of ['EACCES', 'EPERM', 'EROFS'])
      expect(unwritableOutDir('/ro/out', Object.assign(new Error('x'), { code }))?.message).toContain(
        '/ro/out',
      );
    expect(unwritableOutDir('/x', Object.assign(new Error('x'), { code: 'EIO' }))).toBeUndefined();
  });
});
