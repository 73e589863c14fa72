/**
 * Gantry as a library: the stages as Dagger steps, and the pieces to compose a pipeline of your own.
 *
 * @example
 * import { connection } from '@dagger.io/dagger';
 * import { checkout, deps, test, resolveToolchain } from 'gantry';
 */

// Configuration.
export { DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from './pipeline/config/load.ts';
export type { Component, Environment, GantryConfig } from './pipeline/config/schema.ts';
export { withEngine } from './pipeline/engine.ts';
// Errors and exit codes.
export {
  ApprovalError,
  ExitCode,
  GantryError,
  InputError,
  PolicyError,
  StageError,
} from './pipeline/errors.ts';
export { type RunRequest, runPipeline } from './pipeline/flow.ts';
// Stage graph, plan and runner.
export {
  NEEDS,
  PHASES,
  type PhaseName,
  type Selection,
  STAGES,
  type StageName,
  selectStages,
} from './pipeline/graph.ts';
export type { RunManifest } from './pipeline/manifest/schema.ts';
// Run manifest.
export {
  contentHash,
  DEFAULT_MANIFEST_FILE,
  readManifest,
  writeManifest,
} from './pipeline/manifest/store.ts';
export { makePlan, type Plan, renderPlan } from './pipeline/plan.ts';
export { type RunStagesOptions, runStages } from './pipeline/runner/run-stages.ts';
export type {
  RunSummary,
  StageContext,
  StageEvent,
  StageFn,
  StageRegistry,
} from './pipeline/runner/types.ts';
export { stageRegistry } from './pipeline/stages.ts';
// Steps: lazy functions over Dagger types.
export { type CheckoutOptions, checkout, type SourceInfo, sourceInfo } from './steps/checkout.ts';
export { type DepsOptions, deps, WORKDIR } from './steps/deps.ts';
export { IMAGES, type ImageName } from './steps/images.ts';
export { junitCounts, type TestCounts, type TestRun, test } from './steps/test.ts';
export { lockfileHash, resolveToolchain, type Toolchain } from './steps/toolchains.ts';
