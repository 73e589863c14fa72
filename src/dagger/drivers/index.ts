import type { Environment } from '../../core/config/schema.ts';
import { InputError } from '../../core/errors.ts';
import { gitopsDriver } from './gitops.ts';
import { helmDriver } from './helm.ts';
import { kubernetesDriver } from './kubernetes.ts';
import type { DeployDriver } from './types.ts';

export {
  imageFileKind,
  pinHelmValuesImage,
  pinImage,
  pinKustomizationImage,
} from '../../core/deploy/gitops-edit.ts';
export { gitopsDriver } from './gitops.ts';
export { helmDriver, helmUpgradeArgs } from './helm.ts';
export { kubectl, smokeCheck, withCluster } from './kubectl.ts';
export { kubernetesDriver } from './kubernetes.ts';
export type { Cluster, DeployDriver, DeployImage, DeployOutcome, DeployRequest } from './types.ts';

/**
 * The deploy driver an environment names: a built-in one, or one the pipeline registers
 * (`standardStages({ drivers: { paas: myDriver } })`). An unknown name is an {@link InputError} (exit 2).
 */
export function deployDriver(
  name: Environment['driver'],
  custom: Readonly<Record<string, DeployDriver>> = {},
): DeployDriver {
  if (Object.hasOwn(custom, name)) return custom[name] as DeployDriver;
  switch (name) {
    case 'kubernetes':
      return kubernetesDriver();
    case 'helm':
      return helmDriver();
    case 'gitops':
      return gitopsDriver();
  }
  throw new InputError('UNKNOWN_DRIVER', `no deploy driver named "${name}"`, {
    hint: `use kubernetes, helm or gitops, or register it in pipeline/main.ts: standardStages({ drivers: { ${name}: myDriver } })${Object.keys(custom).length > 0 ? `; registered: ${Object.keys(custom).join(', ')}` : ''}`,
  });
}
