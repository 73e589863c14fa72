/**
 * Writes a platform's CI wrapper files into a repository, refusing to clobber edited files.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { type CiPlatform, readCiTemplates } from './templates.ts';

/** What happened to one file. */
export type CiFileResult =
  | { kind: 'created'; path: string; description: string }
  | { kind: 'unchanged'; path: string; description: string }
  | { kind: 'overwritten'; path: string; description: string };

/** Options of {@link writeCiFiles}. */
export interface WriteCiFilesOptions {
  /** Replace files that exist with other content. @default false */
  readonly force?: boolean;
}

/**
 * Writes the wrapper files of `platform` under `dir`. Files already identical are left alone; files with
 * other content are an {@link InputError} unless `force` is set (checked for all files before writing any).
 */
export async function writeCiFiles(
  platform: CiPlatform,
  dir: string,
  options: WriteCiFilesOptions = {},
): Promise<CiFileResult[]> {
  const { force = false } = options;
  const templates = await readCiTemplates(platform);
  const existing = await Promise.all(templates.map((t) => readIfExists(join(dir, t.target))));
  const conflicts = templates.filter((t, i) => existing[i] !== undefined && existing[i] !== t.content);
  if (conflicts.length > 0 && !force) {
    throw new InputError(
      'CI_FILE_EXISTS',
      `gantry ci init ${platform}: ${conflicts.map((t) => t.target).join(', ')} already exist(s) in ${dir} with other content`,
      {
        hint: 'Review the differences, then run again with --force to replace them (or --dir to write elsewhere).',
      },
    );
  }
  const results: CiFileResult[] = [];
  for (const [i, t] of templates.entries()) {
    const path = join(dir, t.target);
    const before = existing[i];
    if (before === t.content) {
      results.push({ kind: 'unchanged', path: t.target, description: t.description });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    // Temp file + rename: a crash never leaves a half-written workflow behind.
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, t.content);
    await rename(temp, path);
    results.push({
      kind: before === undefined ? 'created' : 'overwritten',
      path: t.target,
      description: t.description,
    });
  }
  return results;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError('CI_FILE_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check the file permissions, or choose another --dir.',
    });
  }
}
