import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { type Directory, dag } from '@dagger.io/dagger';
import { StageError } from '../core/errors.ts';

const run = promisify(execFile);

/** Options of {@link checkout}. */
export interface CheckoutOptions {
  /** A git remote to clone instead of the host folder. @default the host folder */
  remote?: string;
  /** The commit to check out from the remote. @default HEAD of the remote */
  commit?: string;
  /** Extra patterns to exclude from the host folder. @default [] */
  exclude?: string[];
}

/**
 * The source as a Dagger `Directory`: the host folder with git-ignored files left out, or a git remote at
 * a commit. Lazy: nothing is uploaded until a later step uses it.
 *
 * @example const src = checkout('.'); const ctr = dag.container().from('node:22').withDirectory('/src', src);
 */
export function checkout(path: string, options: CheckoutOptions = {}): Directory {
  const { remote, commit, exclude = [] } = options;
  if (remote) {
    const repo = dag.git(remote);
    return (commit ? repo.commit(commit) : repo.head()).tree();
  }
  return dag
    .host()
    .directory(path, { gitignore: true, exclude: ['.git/', 'node_modules/', 'out/', ...exclude] });
}

/** The commit, ref and dirty flag of a local git work tree. */
export interface SourceInfo {
  commit: string;
  ref: string;
  dirty: boolean;
  /** SHA-256 of the tracked changes against the commit (`git diff HEAD --binary`); later phases compare it. */
  trackedChanges: string;
}

/** The commit and tracked changes of the work tree now, as later phases compare them with the manifest. */
export type LiveSource = Pick<SourceInfo, 'commit' | 'trackedChanges'>;

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * HEAD and the hash of the tracked changes of the work tree at `path`, read with git on the host.
 * @throws StageError when `path` is not a git work tree.
 */
export async function liveSource(path: string): Promise<LiveSource> {
  const git = async (...args: string[]) =>
    (await run('git', ['-C', path, ...args], { maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    const commit = (await git('rev-parse', 'HEAD')).trim();
    const diff = await git('diff', 'HEAD', '--binary', '--no-ext-diff', '--no-textconv');
    return { commit, trackedChanges: sha256(diff) };
  } catch (cause) {
    throw new StageError('CHECKOUT_NOT_GIT', `${path} is not a git work tree with at least one commit`, {
      cause,
      hint: 'run gantry from the root of a git repository that has a commit (git init && git commit)',
    });
  }
}

/** Reads the commit SHA, branch and dirty flag of the work tree at `path` with git on the host. */
export async function sourceInfo(
  path: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<SourceInfo> {
  const git = async (...args: string[]) => (await run('git', ['-C', path, ...args])).stdout.trim();
  try {
    const commit = await git('rev-parse', 'HEAD');
    const branch = await git('rev-parse', '--abbrev-ref', 'HEAD');
    const status = await git('status', '--porcelain', '--untracked-files=normal');
    const { trackedChanges } = await liveSource(path);
    // CI checkouts are often detached: the platform's own variable names the ref.
    const ref =
      branch !== 'HEAD'
        ? branch
        : (env.GITHUB_REF_NAME ?? env.CI_COMMIT_REF_NAME ?? env.BRANCH_NAME ?? 'HEAD');
    return { commit, ref, dirty: status.length > 0, trackedChanges };
  } catch (cause) {
    throw new StageError('CHECKOUT_NOT_GIT', `${path} is not a git work tree with at least one commit`, {
      cause,
      hint: 'run gantry from the root of a git repository that has a commit (git init && git commit)',
    });
  }
}
