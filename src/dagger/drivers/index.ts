import type { Environment } from '../../core/config/schema.ts';
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

/** The deploy driver an environment names. */
export function deployDriver(name: Environment['driver']): DeployDriver {
  switch (name) {
    case 'kubernetes':
      return kubernetesDriver();
    case 'helm':
      return helmDriver();
    case 'gitops':
      return gitopsDriver();
  }
}
