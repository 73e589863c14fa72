import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file-system calls an atomic write makes; tests pass one that fails or crashes between them. */
export type AtomicWriteFs = Pick<typeof nodeFs, 'mkdir' | 'writeFile' | 'chmod' | 'rename' | 'rm'>;

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** The file system to write through. @default node:fs/promises */
  fs?: AtomicWriteFs;
}

/**
 * Writes a file atomically: to a temporary file in the same directory, then renamed over the target, so a
 * reader (a CI uploader, the next job, an interrupted run) never sees half a file. Creates the directory.
 */
export async function writeFileAtomic(
  file: string,
  content: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { fs = nodeFs } = options;
  const dir = dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, content, 'utf8');
    // 0644 whatever the umask (chmod is not masked): a CI uploader or the next job reads it, only we write it
    await fs.chmod(temp, 0o644);
    await fs.rename(temp, file);
  } finally {
    await fs.rm(temp, { force: true });
  }
}
