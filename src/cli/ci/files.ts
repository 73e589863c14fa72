/**
 * The wrapper files of a platform: generated from the CI shape, written into a repository (refusing to
 * clobber edited files), or compared with the committed ones (`gantry ci check`).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { generateGithub } from './github.ts';
import { generateGitlab } from './gitlab.ts';
import { generateJenkins } from './jenkins.ts';
import type { CiShape } from './shape.ts';
import type { CiFile, CiGenerateOptions, CiPlatform } from './wrapper.ts';

/** The generator of each platform. */
export const GENERATORS: Readonly<
  Record<CiPlatform, (shape: CiShape, options?: CiGenerateOptions) => CiFile[]>
> = {
  github: generateGithub,
  gitlab: generateGitlab,
  jenkins: generateJenkins,
};

/** What happened to one file. */
export type CiFileResult =
  | { kind: 'created'; path: string; description: string }
  | { kind: 'unchanged'; path: string; description: string }
  | { kind: 'overwritten'; path: string; description: string };

/**
 * Writes `files` under `dir`. Files already identical are left alone; files with other content are an
 * {@link InputError} unless `force` is set (checked for all files before writing any).
 */
export async function writeCiFiles(
  files: readonly CiFile[],
  dir: string,
  options: { readonly force?: boolean } = {},
): Promise<CiFileResult[]> {
  const { force = false } = options;
  const existing = await Promise.all(files.map((f) => readIfExists(join(dir, f.path))));
  const conflicts = files.filter((f, i) => existing[i] !== undefined && existing[i] !== f.content);
  if (conflicts.length > 0 && !force) {
    throw new InputError(
      'CI_FILE_EXISTS',
      `${conflicts.map((f) => f.path).join(', ')} already exist(s) in ${dir} with other content`,
      { hint: 'Review the differences (gantry ci check), then run again with --force to replace them.' },
    );
  }
  const results: CiFileResult[] = [];
  for (const [i, f] of files.entries()) {
    const path = join(dir, f.path);
    const before = existing[i];
    if (before === f.content) {
      results.push({ kind: 'unchanged', path: f.path, description: f.description });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    // Temp file + rename: a crash never leaves a half-written workflow behind.
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, f.content);
    await rename(temp, path);
    results.push({
      kind: before === undefined ? 'created' : 'overwritten',
      path: f.path,
      description: f.description,
    });
  }
  return results;
}

/** A committed wrapper file that differs from the generated one. */
export interface CiDrift {
  readonly path: string;
  /** `missing`, or the first differing lines as `line N: - committed / + generated`. */
  readonly diff: string;
}

/** Compares the committed files under `dir` with `files`; empty when every one matches. */
export async function checkCiFiles(files: readonly CiFile[], dir: string): Promise<CiDrift[]> {
  const drifts: CiDrift[] = [];
  for (const f of files) {
    const committed = await readIfExists(join(dir, f.path));
    if (committed === undefined) drifts.push({ path: f.path, diff: 'missing' });
    else if (committed !== f.content) drifts.push({ path: f.path, diff: lineDiff(committed, f.content) });
  }
  return drifts;
}

/** The first few lines that differ, with their line numbers. */
export function lineDiff(committed: string, generated: string, max = 5): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < max; i++) {
    if (a[i] !== b[i]) {
      out.push(`line ${i + 1}:`);
      if (a[i] !== undefined) out.push(`  - ${a[i]}`);
      if (b[i] !== undefined) out.push(`  + ${b[i]}`);
    }
  }
  return out.join('\n');
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
