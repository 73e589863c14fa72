/**
 * A deploy driver of your own: a PaaS with its own CLI (here Fly.io's `flyctl deploy --image`), run in a
 * container with its token as a Dagger secret. Environments in gantry.yaml pick it by name:
 *   environments:
 *     - { name: staging, driver: fly }
 * Gantry's deploy stage still does everything around the driver: the approval check, the registry allow-list,
 * signature verification and the deployment record. In your repository, import from 'gantry'.
 */
import { dag } from '@dagger.io/dagger';
import type { DeployDriver, PipelineDefinition } from '../../index.ts';
import { standardStages } from '../../index.ts';

/**
 * flyctl, pinned. Every flyctl release publishes `flyio/flyctl:v<version>` (the release notes of superfly/flyctl,
 * e.g. v0.0.197: "docker pull flyio/flyctl:v0.0.197"); flyctl reads its token from FLY_API_TOKEN.
 */
export const FLYCTL = 'flyio/flyctl:v0.3.45';

/** Deploys each image by digest to the Fly app named after its component. */
export const flyDriver: DeployDriver = {
  name: 'fly',
  async deploy(request) {
    for (const image of request.images) {
      request.log(`flyctl deploy ${image.component.name} ${image.ref}`);
      await dag
        .container()
        .from(FLYCTL)
        .withSecretVariable('FLY_API_TOKEN', dag.secret('env://FLY_API_TOKEN'))
        .withEnvVariable('GANTRY_DEPLOY_ID', request.deployId)
        .withExec(['flyctl', 'deploy', '--app', image.component.name, '--image', image.ref, '--now'])
        .sync();
    }
    const app = request.images[0]?.component.name ?? request.environment;
    return { result: 'deployed', target: `fly:${app}`, url: `https://${app}.fly.dev` };
  },
};

export function pipeline(): PipelineDefinition {
  return { stages: standardStages({ drivers: { fly: flyDriver } }) };
}
