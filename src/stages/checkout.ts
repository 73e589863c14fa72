import { sourceInfo } from '../dagger/source.ts';
import type { StageFn } from '../runtime/types.ts';

/** The checkout stage: records the commit, ref and dirty flag in the run manifest. */
export const checkoutStage: StageFn = async (ctx) => {
  const info = await sourceInfo(ctx.repoRoot, ctx.env);
  await ctx.manifest.update((m) => {
    m.source = info;
  });
  return { message: `${info.commit.slice(0, 12)} on ${info.ref}${info.dirty ? ' (dirty)' : ''}` };
};
