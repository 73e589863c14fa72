/**
 * Later phases act on the approved commit only: a stage that builds, signs, approves or deploys in a later
 * process compares the work tree with what the checkout stage recorded in the run manifest.
 */
import { ApprovalError, type GantryError, InputError } from './errors.ts';
import type { RunManifest } from './manifest/schema.ts';

/** The work tree now: HEAD and the hash of the tracked changes against it. */
export interface WorkTree {
  commit: string;
  trackedChanges: string;
}

type SourceCode = 'SOURCE_NOT_RECORDED' | 'SOURCE_COMMIT_CHANGED' | 'SOURCE_TREE_CHANGED';

/** `approval`: an approve or deploy stage (exit 4). `release`: any other stage, e.g. build (exit 2). */
export type SourceCheckKind = 'approval' | 'release';

/**
 * Refuses when HEAD is not the manifest's commit, or the tracked files differ from what was recorded
 * (compared by the hash of `git diff HEAD`, so a work tree changed since the checkout stage is refused
 * even when it was already dirty then).
 * @throws ApprovalError (exit 4) for `approval`, InputError (exit 2) for `release`.
 */
export function checkReleaseSource(
  recorded: RunManifest['source'],
  live: WorkTree,
  stage: string,
  kind: SourceCheckKind,
): void {
  // One code, one exit code: the release-side refusals carry their own codes (exit 2).
  const refuse = (code: SourceCode, message: string, hint: string): GantryError =>
    kind === 'approval'
      ? new ApprovalError(code, `${stage} refuses: ${message}`, { hint })
      : new InputError(`RELEASE_${code}`, `${stage} refuses: ${message}`, { hint });
  if (!recorded) {
    throw refuse(
      'SOURCE_NOT_RECORDED',
      'the run manifest records no commit',
      'run the checkout stage (the verify phase) first, and pass its manifest along',
    );
  }
  if (live.commit !== recorded.commit) {
    throw refuse(
      'SOURCE_COMMIT_CHANGED',
      `HEAD is ${live.commit.slice(0, 12)}, but this run verified and built ${recorded.commit.slice(0, 12)}`,
      `check out ${recorded.commit} (CI: the same commit as the earlier jobs), or start a new run from the verify phase`,
    );
  }
  const changed =
    recorded.trackedChanges === undefined
      ? recorded.dirty // recorded before hashes existed: only a clean record can be compared
      : recorded.trackedChanges !== live.trackedChanges;
  if (changed) {
    throw refuse(
      'SOURCE_TREE_CHANGED',
      `the tracked files differ from what the checkout stage of this run recorded at ${recorded.commit.slice(0, 12)}`,
      'restore the work tree (git stash or git checkout -- .), or commit and start a new run from the verify phase',
    );
  }
}
