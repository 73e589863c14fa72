import { approveStage } from '../steps/approve.ts';
import { buildStage } from '../steps/build.ts';
import { checkoutStage } from '../steps/checkout.ts';
import { deployProductionStage, deployStagingStage } from '../steps/deploy.ts';
import { depsStage } from '../steps/deps.ts';
import { scanStage } from '../steps/scan.ts';
import { signStage } from '../steps/sign.ts';
import { testStage } from '../steps/test.ts';
import type { StageRegistry } from './runner/types.ts';

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
