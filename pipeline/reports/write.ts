/**
 * Writes report files atomically, so a reader (a CI uploader, the next job) never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `file` through a temporary file in the same directory and a rename; creates the
 * directory. Objects are written as indented JSON with a final newline.
 */
export async function writeReportFile(file: string, content: string | object): Promise<void> {
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}
