import { sourceInfo } from '../dagger/source.ts';
import type { StageFn } from '../runtime/types.ts';

/** Runs whose checkout stage ran in this process, by manifest run id. */
const checkedOutRuns = new Set<string>();

/** Whether the checkout stage of run `runId` ran in this process (the source guard's one-process exception). */
export function checkedOutHere(runId: string): boolean {
  return checkedOutRuns.has(runId);
}

/** The checkout stage: records the commit, ref and dirty flag in the run manifest. */
export const checkoutStage: StageFn = async (ctx) => {
  const info = await sourceInfo(ctx.repoRoot, ctx.env);
  await ctx.manifest.update((m) => {
    m.source = info;
  });
  checkedOutRuns.add(ctx.manifest.get().runId);
  return { message: `${info.commit.slice(0, 12)} on ${info.ref}${info.dirty ? ' (dirty)' : ''}` };
};
