import type { StageRegistry } from '../runtime/types.ts';
import { approveStage } from './approve.ts';
import { buildStage } from './build.ts';
import { checkoutStage } from './checkout.ts';
import { deployProductionStage, deployStagingStage } from './deploy.ts';
import { depsStage } from './deps.ts';
import { scanStage } from './scan.ts';
import { signStage } from './sign.ts';
import { testStage } from './test.ts';

/** The stage function of each of the nine stages. */
export const stageRegistry: StageRegistry = {
  checkout: checkoutStage,
  deps: depsStage,
  test: testStage,
  scan: scanStage,
  build: buildStage,
  sign: signStage,
  'deploy-staging': deployStagingStage,
  approve: approveStage,
  'deploy-production': deployProductionStage,
};
