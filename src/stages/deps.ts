import { componentDeps } from '../dagger/deps.ts';
import type { StageFn } from '../runtime/types.ts';

/** The deps stage: installs every component's dependencies concurrently. */
export const depsStage: StageFn = async (ctx) => {
  const results = await Promise.all(
    ctx.config.components.map(async (component) => {
      const { container, toolchain, lockHash } = await componentDeps(ctx.repoRoot, component);
      await container.sync();
      await ctx.manifest.update((m) => {
        m.components[component.name] = {
          ...m.components[component.name],
          toolchainImage: toolchain.image,
          lockfileHash: lockHash,
        };
      });
      return `${component.name} (${toolchain.image})`;
    }),
  );
  return { message: results.join(', ') };
};
