/**
 * Suppressions a repository controls: files and comments that make a scanner skip or hide findings. They
 * are found in the source before the gate runs, so the verdict can count and show them, and a policy with
 * `allowRepositorySuppressions: false` can refuse them.
 *
 * What counts, from each tool's docs and source:
 * - `nosemgrep` / `nosem` comments (semgrep/semgrep `src/reporting/Nosemgrep.ml`: a space, then
 *   `nosem(grep)?`, optionally `: rule-id`; docs/ignoring-findings.md);
 * - `.semgrepignore` files (semgrep docs/ignoring-findings.md, "File paths");
 * - `.trivyignore` and `.trivyignore.yaml` (Trivy docs, configuration/filtering "By Finding IDs");
 * - `trivy:ignore:<rule>` comments for misconfigurations (Trivy docs, scanner/misconfiguration "Inline ignores").
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** What kind of repository-controlled suppression. */
export type RepositorySuppressionKind = 'nosemgrep' | 'semgrepignore' | 'trivyignore' | 'trivy:ignore';

/** One suppression found in the repository. */
export interface RepositorySuppression {
  readonly kind: RepositorySuppressionKind;
  /** File, relative to the folder searched. */
  readonly file: string;
  /** Line of the comment, for comments. */
  readonly line?: number;
}

const IGNORE_FILES: Readonly<Record<string, RepositorySuppressionKind>> = {
  '.semgrepignore': 'semgrepignore',
  '.trivyignore': 'trivyignore',
  '.trivyignore.yaml': 'trivyignore',
};

/** Folders never searched: VCS data and installed dependencies (not the repository's own code). */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
/** Files larger than this are not read (minified bundles, data). */
const MAX_FILE_BYTES = 1024 * 1024;

const NOSEMGREP = /\snosem(?:grep)?\b/i;
const TRIVY_IGNORE = /trivy:ignore:/;

/** The suppressions in one file's text (comments only; ignore files are found by name). */
export function suppressionsInText(file: string, text: string): RepositorySuppression[] {
  const found: RepositorySuppression[] = [];
  if (!text.includes('nosem') && !text.includes('NOSEM') && !text.includes('trivy:ignore:')) return found;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (NOSEMGREP.test(line)) found.push({ kind: 'nosemgrep', file, line: i + 1 });
    if (TRIVY_IGNORE.test(line)) found.push({ kind: 'trivy:ignore', file, line: i + 1 });
  }
  return found;
}

/**
 * Every repository-controlled suppression under `root` (symbolic links are not followed; `.git` and
 * `node_modules` are skipped; binary files and files over 1 MiB are not read).
 */
export async function findRepositorySuppressions(root: string): Promise<RepositorySuppression[]> {
  const found: RepositorySuppression[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await visit(path);
        continue;
      }
      if (!entry.isFile()) continue;
      const file = relative(root, path);
      const kind = IGNORE_FILES[entry.name];
      if (kind) found.push({ kind, file });
      if ((await stat(path)).size > MAX_FILE_BYTES) continue;
      const text = await readFile(path, 'utf8');
      if (!text.includes('\u0000')) found.push(...suppressionsInText(file, text));
    }
  };
  await visit(root);
  return found;
}

/** `nosemgrep at src/a.ts:3`, for messages. */
export function describeSuppression(s: RepositorySuppression): string {
  return `${s.kind} at ${s.file}${s.line === undefined ? '' : `:${s.line}`}`;
}
