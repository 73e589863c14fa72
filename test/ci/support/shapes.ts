/** Hand-made CI shapes for the generator tests, until ciShape() derives them from a definition. */
import type { CiShape } from '../../../src/cli/ci/shape.ts';

/** A team pipeline: dev and staging, an `integration` phase after staging, production behind approval, Slack `always`. */
export const customShape: CiShape = {
  project: 'shop',
  phases: [
    {
      name: 'verify',
      stages: ['checkout', 'deps', 'lint', 'test', 'scan'],
      needs: [],
      deploys: [],
      secrets: [],
      release: false,
    },
    {
      name: 'release',
      stages: ['build', 'sign', 'deploy-dev', 'deploy-staging'],
      needs: ['verify'],
      deploys: [{ environment: 'dev' }, { environment: 'staging', url: 'https://staging.shop.example' }],
      secrets: ['env://REGISTRY_PASSWORD', 'env://KUBECONFIG_DATA', 'file://cosign.key'],
      release: true,
    },
    {
      name: 'integration',
      stages: ['integration-test'],
      needs: ['release'],
      deploys: [],
      secrets: ['env://TEST_TOKEN'],
      release: false,
    },
    {
      name: 'approve',
      stages: ['approve-production'],
      needs: ['integration'],
      approval: { environment: 'production' },
      deploys: [],
      secrets: [],
      release: true,
    },
    {
      name: 'promote',
      stages: ['deploy-production'],
      needs: ['approve'],
      deploys: [{ environment: 'production', url: 'https://shop.example' }],
      secrets: ['env://KUBECONFIG_DATA'],
      release: true,
    },
  ],
  finally: { stages: ['notify-slack'], secrets: ['env://SLACK_WEBHOOK'] },
};

/** Two gated environments: `approve-<env>` and `promote-<env>` phases. */
export const twoGatesShape: CiShape = {
  project: 'bank',
  phases: [
    {
      name: 'verify',
      stages: ['checkout', 'deps', 'test', 'scan'],
      needs: [],
      deploys: [],
      secrets: [],
      release: false,
    },
    {
      name: 'release',
      stages: ['build', 'sign', 'deploy-staging'],
      needs: ['verify'],
      deploys: [{ environment: 'staging' }],
      secrets: [],
      release: true,
    },
    {
      name: 'approve-preprod',
      stages: ['approve-preprod'],
      needs: ['release'],
      approval: { environment: 'preprod' },
      deploys: [],
      secrets: [],
      release: true,
    },
    {
      name: 'promote-preprod',
      stages: ['deploy-preprod'],
      needs: ['approve-preprod'],
      deploys: [{ environment: 'preprod' }],
      secrets: [],
      release: true,
    },
    {
      name: 'approve-production',
      stages: ['approve-production'],
      needs: ['promote-preprod'],
      approval: { environment: 'production' },
      deploys: [],
      secrets: [],
      release: true,
    },
    {
      name: 'promote-production',
      stages: ['deploy-production'],
      needs: ['approve-production'],
      deploys: [{ environment: 'production' }],
      secrets: [],
      release: true,
    },
  ],
};
