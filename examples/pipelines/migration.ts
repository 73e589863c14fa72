/**
 * A database migration right after staging is deployed, and an integration test against the staging URL;
 * the production approval waits for both. DATABASE_URL reaches the container only as a Dagger secret.
 * In your repository, import from 'gantry' instead of '../../index.ts'.
 */
import { dag } from '@dagger.io/dagger';
import { z } from 'zod';
import { defineStage, type PipelineDefinition, STANDARD, StageError, standardStages } from '../../index.ts';

/** Runs the migrations of the API image that staging now runs, with the database URL as a secret. */
export const migrate = defineStage({
  name: 'migrate',
  phase: 'release',
  needs: ['deploy-staging'],
  secrets: ['env://STAGING_DATABASE_URL'],
  output: z.object({ applied: z.number().int() }),
  description: 'applies database migrations to staging',
  run: async (ctx) => {
    const { images } = ctx.outputOf(STANDARD.build);
    const api = Object.values(images)[0];
    if (!api)
      throw new StageError('MIGRATE_NO_IMAGE', 'no image to migrate with', { hint: 'run build first' });
    const out = await dag
      .container()
      .from(api.ref)
      .withSecretVariable('DATABASE_URL', dag.secret('env://STAGING_DATABASE_URL'))
      .withExec(['node', 'dist/migrate.js', '--json'])
      .stdout();
    const applied = (JSON.parse(out) as { applied: unknown[] }).applied.length;
    return { message: `applied ${applied} migration(s)`, output: { applied } };
  },
});

/** Runs the integration suite against the staging URL that deploy-staging recorded. */
export const integration = defineStage({
  name: 'integration',
  phase: 'integration',
  needs: ['migrate'],
  description: 'integration tests against staging',
  run: async (ctx) => {
    const staging = ctx.outputOf('deploy-staging') as { url?: string };
    if (!staging.url) {
      throw new StageError('NO_STAGING_URL', 'deploy-staging recorded no URL', {
        hint: 'set url: on the staging environment in gantry.yaml',
      });
    }
    const api = ctx.config.components[0]?.name ?? '';
    await (await ctx.installed(api))
      .withEnvVariable('BASE_URL', staging.url)
      .withExec(['npm', 'run', 'test:integration'])
      .sync();
    return { message: `passed against ${staging.url}` };
  },
});

/** Standard stages; the production approval waits for the migration and the integration tests. */
export function pipeline(): PipelineDefinition {
  return {
    stages: [...standardStages({ needs: { 'approve-production': ['integration'] } }), migrate, integration],
  };
}
