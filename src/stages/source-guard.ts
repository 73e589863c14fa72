import { detectPlatform } from '../core/platform.ts';
import { checkReleaseSource, type SourceCheckKind } from '../core/release-source.ts';
import { liveSource } from '../dagger/source.ts';
import type { StageContext } from '../runtime/types.ts';
import { checkedOutHere } from './checkout.ts';

/** How the work tree is read; a seam for tests whose repository is not a git work tree. */
export const workTree = { read: liveSource };

/**
 * Refuses to build, sign, approve or deploy (in a later phase or process) unless the work tree is the commit (and tracked changes) that the
 * run manifest recorded: exit 4 for `approval` (approve and deploy stages), exit 2 for `release`.
 */
export async function requireReleaseSource(
  ctx: Pick<StageContext, 'manifest' | 'repoRoot' | 'options' | 'env'>,
  stage: string,
  kind: SourceCheckKind,
): Promise<void> {
  const manifest = ctx.manifest.get();
  // The exception: one local process with --yes that checked the tree out itself acts on what it checked out.
  if (ctx.options.yes && checkedOutHere(manifest.runId) && detectPlatform(ctx.env).name === 'local') return;
  const recorded = manifest.source;
  checkReleaseSource(
    recorded,
    recorded ? await workTree.read(ctx.repoRoot) : { commit: '', trackedChanges: '' },
    stage,
    kind,
  );
}
