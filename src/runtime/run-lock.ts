/**
 * One run at a time per `out/` folder. Two runs sharing `out/` would both deploy and each overwrite the
 * other's manifest records, so the second one stops at once (exit 2), naming the process that holds it.
 *
 * The lock is `proper-lockfile` (4.1.2, pinned): an atomic `mkdir` of `out/.gantry-run.lock`, its mtime
 * refreshed while the run lives, taken over only when stale (not refreshed for `stale` ms: a crashed run).
 * Who holds it is written beside it, in `out/.gantry-run.holder.json` (the lock folder must stay empty for
 * the library's `rmdir`). {@link withRunLock} releases it on every exit path.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { InputError } from '../core/errors.ts';

const LOCK = '.gantry-run.lock';
const HOLDER = '.gantry-run.holder.json';

/** Who holds a run lock. */
interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** Options of {@link withRunLock}. */
export interface RunLockOptions {
  /** A lock not refreshed for this long belongs to a crashed run and is taken over. @default 10_000 */
  staleMs?: number;
}

/** Error codes of a folder Gantry cannot create or write. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC']);

/** The InputError (exit 2) for an output folder that cannot be written, or `undefined` for other errors. */
export function unwritableOutDir(outDir: string, cause: unknown): InputError | undefined {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !UNWRITABLE.has(code)) return undefined;
  return new InputError('OUT_DIR_UNWRITABLE', `cannot write the run's output folder ${outDir} (${code})`, {
    cause,
    hint: 'make the folder writable by this user, or pass --manifest <path> in a writable folder',
  });
}

/** Runs `fn` holding the lock of `outDir`; a second holder gets exit 2 (`RUN_LOCKED`) at once. */
export async function withRunLock<T>(
  outDir: string,
  fn: () => Promise<T>,
  options: RunLockOptions = {},
): Promise<T> {
  const { staleMs = 10_000 } = options;
  let release: () => Promise<void>;
  try {
    await mkdir(outDir, { recursive: true });
    release = await lockfile.lock(outDir, {
      lockfilePath: join(outDir, LOCK),
      stale: staleMs,
      update: Math.max(1000, Math.floor(staleMs / 2)),
      retries: 0,
      realpath: false,
      // A lost lock (the folder removed under us) is not worth crashing a deploy half-way: the run goes on.
      onCompromised: () => {},
    });
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await writeFile(join(outDir, HOLDER), `${JSON.stringify(holder)}\n`);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') throw await lockedError(outDir, cause);
    throw unwritableOutDir(outDir, cause) ?? cause;
  }
  try {
    return await fn();
  } finally {
    await rm(join(outDir, HOLDER), { force: true }).catch(() => {});
    await release().catch(() => {});
  }
}

async function lockedError(outDir: string, cause: unknown): Promise<InputError> {
  const holder = await readFile(join(outDir, HOLDER), 'utf8')
    .then((text) => JSON.parse(text) as Holder)
    .catch(() => undefined);
  const who = holder
    ? `process ${holder.pid} on ${holder.host} (since ${holder.since})`
    : 'another gantry process (it is starting)';
  return new InputError('RUN_LOCKED', `another run is using ${outDir}: ${who} holds ${join(outDir, LOCK)}`, {
    cause,
    hint: 'wait for that run to finish, or give this run its own folder with --manifest <dir>/manifest.json',
  });
}
