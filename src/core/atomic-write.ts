import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: to a temporary file in the same directory, then renamed over the target, so a
 * reader (a CI uploader, the next job, an interrupted run) never sees half a file. Creates the directory.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', mode: 0o644 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}
