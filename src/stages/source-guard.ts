import { checkReleaseSource, type SourceCheckKind } from '../core/release-source.ts';
import { liveSource } from '../dagger/source.ts';
import type { StageContext } from '../runtime/types.ts';

/** How the work tree is read; a seam for tests whose repository is not a git work tree. */
export const workTree = { read: liveSource };

/**
 * Refuses to build, sign, approve or deploy unless the work tree is the commit (and tracked changes) that the
 * run manifest recorded: exit 4 for `approval` (approve and deploy stages), exit 2 for `release`.
 */
export async function requireReleaseSource(
  ctx: Pick<StageContext, 'manifest' | 'repoRoot'>,
  stage: string,
  kind: SourceCheckKind,
): Promise<void> {
  const recorded = ctx.manifest.get().source;
  checkReleaseSource(
    recorded,
    recorded ? await workTree.read(ctx.repoRoot) : { commit: '', trackedChanges: '' },
    stage,
    kind,
  );
}
