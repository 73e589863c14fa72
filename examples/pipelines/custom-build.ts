/**
 * A replaced build: the team's image needs build args. The replacement keeps build's contract (its output
 * passes build's schema), so sign, the deploys and the approvals work unchanged. `publishImages` does what the
 * standard build does after `docker build`: scan before publishing, SBOM, publish by digest.
 * Build args are plain values: they stay in the image history, so never put a secret in one.
 * In your repository, import from 'gantry' instead of '../../index.ts'.
 */
import { defineStage, type PipelineDefinition, publishImages, standardStages } from '../../index.ts';

export const build = defineStage({
  name: 'build',
  phase: 'release',
  needs: ['test', 'scan'],
  description: 'docker build with build args, then the standard scan, SBOM and publish',
  run: async (ctx) =>
    publishImages(
      ctx,
      ctx.config.components.map((c) => ({
        component: c.name,
        image: ctx.source(c.name).dockerBuild({
          dockerfile: c.dockerfile,
          buildArgs: [
            { name: 'APP_VERSION', value: ctx.manifest.get().source?.commit.slice(0, 12) ?? 'dev' },
            { name: 'NODE_ENV', value: 'production' },
          ],
        }),
      })),
    ),
});

export function pipeline(): PipelineDefinition {
  return { stages: standardStages({ replace: { build } }) };
}
