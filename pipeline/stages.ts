import { buildStage } from '../steps/build.ts';
import { checkoutStage } from '../steps/checkout.ts';
import { depsStage } from '../steps/deps.ts';
import { scanStage } from '../steps/scan.ts';
import { signStage } from '../steps/sign.ts';
import { testStage } from '../steps/test.ts';
import { StageError } from './errors.ts';
import type { StageFn, StageRegistry } from './runner/types.ts';

const pending =
  (name: string): StageFn =>
  async () => {
    throw new StageError('NOT_IMPLEMENTED', `the ${name} stage is not implemented yet`, {
      hint: 'run the stages that exist: gantry run --only checkout,deps,test',
    });
  };

/** The stage function of each of the nine stages. */
export const stageRegistry: StageRegistry = {
  checkout: checkoutStage,
  deps: depsStage,
  test: testStage,
  scan: scanStage,
  build: buildStage,
  sign: signStage,
  'deploy-staging': pending('deploy-staging'),
  approve: pending('approve'),
  'deploy-production': pending('deploy-production'),
};
