import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { integration, migrate } from '../../../examples/pipelines/migration.ts';
import { notify } from '../../../examples/pipelines/notify.ts';
import { ciShape } from '../../../src/cli/ci/shape.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { resolvePipeline } from '../../../src/runtime/pipeline.ts';
import { standardStages } from '../../../src/stages/standard.ts';

const root = join(import.meta.dirname, '../../..');
const config = parseConfig(readFileSync(join(root, 'gantry.yaml'), 'utf8'));

describe('ciShape', () => {
  it('makes one job per phase, a custom phase included, gates the approval, and a final always job', () => {
    const pipeline = resolvePipeline(
      {
        stages: [
          ...standardStages({ needs: { 'approve-production': ['integration'] } }),
          migrate,
          integration,
          notify,
        ],
      },
      config,
    );
    const shape = ciShape(pipeline, config);
    expect(shape.phases.map((p) => [p.name, p.needs, p.stages])).toEqual([
      ['verify', [], ['checkout', 'deps', 'test', 'scan']],
      ['release', ['verify'], ['build', 'sign', 'deploy-staging', 'migrate']],
      ['integration', ['release'], ['integration']],
      ['approve', ['release', 'integration'], ['approve-production']],
      ['promote', ['approve'], ['deploy-production']],
    ]);
    expect(shape.phases.find((p) => p.name === 'approve')?.approval).toEqual({ environment: 'production' });
    expect(shape.phases.filter((p) => p.approval).map((p) => p.name)).toEqual(['approve']);
    expect(shape.phases.find((p) => p.name === 'release')?.secrets).toEqual(['env://STAGING_DATABASE_URL']);
    expect(shape.phases.find((p) => p.name === 'release')?.deploys).toEqual([{ environment: 'staging' }]);
    expect(shape.phases.map((p) => p.release)).toEqual([false, true, false, true, true]);
    expect(shape.finally).toEqual({ stages: ['notify'], secrets: ['env://SLACK_WEBHOOK_URL'] });
  });

  it('gives each approval-gated environment its own approve and promote phase', () => {
    const three = parseConfig(
      [
        'version: 2',
        'name: shop',
        'components: [{ name: api }]',
        'environments:',
        '  - { name: dev }',
        '  - { name: staging, approval: true, kubeconfig: "env://KUBE_STAGING" }',
        '  - { name: production, kubeconfig: "env://KUBE_PROD" }',
      ].join('\n'),
    );
    const shape = ciShape(resolvePipeline({ stages: standardStages() }, three), three);
    expect(shape.phases.map((p) => [p.name, p.stages])).toEqual([
      ['verify', ['checkout', 'deps', 'test', 'scan']],
      ['release', ['build', 'sign', 'deploy-dev']],
      ['approve-staging', ['approve-staging']],
      ['promote-staging', ['deploy-staging']],
      ['approve-production', ['approve-production']],
      ['promote-production', ['deploy-production']],
    ]);
    expect(shape.phases.find((p) => p.name === 'promote-production')?.secrets).toEqual(['env://KUBE_PROD']);
    expect(shape.finally).toBeUndefined();
  });
});
