/**
 * Gantry as a library: the stages as Dagger steps, and the pieces to compose a pipeline of your own.
 *
 * @example
 * import { connection } from '@dagger.io/dagger';
 * import { checkout, deps, test, resolveToolchain } from 'gantry';
 */

// Approvals and deploy drivers.
export { type ApprovalProvider, approvalProvider, requireApproval } from './pipeline/approval/index.ts';
// Configuration.
export { DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from './pipeline/config/load.ts';
export type { Component, Environment, GantryConfig } from './pipeline/config/schema.ts';
export { type DeployDriver, deployDriver } from './pipeline/deploy/index.ts';
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
export { toGitLabContainerScanning, toGitLabSast } from './pipeline/reports/gitlab.ts';
export { toJUnitXml } from './pipeline/reports/junit.ts';
export { toSarif } from './pipeline/reports/sarif.ts';
export { type RunStagesOptions, runStages } from './pipeline/runner/run-stages.ts';
export type {
  RunSummary,
  StageContext,
  StageEvent,
  StageFn,
  StageRegistry,
} from './pipeline/runner/types.ts';
export type { Finding } from './pipeline/security/finding.ts';
export { evaluateGate, type GateVerdict } from './pipeline/security/gate.ts';
export { loadPolicy, type Policy, parsePolicy, type Waiver } from './pipeline/security/policy.ts';
export { classifyScannerExit, readScanReport } from './pipeline/security/report-file.ts';
export { parseSemgrepReport } from './pipeline/security/semgrep.ts';
// Security gate and reports: pure functions over saved scanner output.
export { parseTrivyReport } from './pipeline/security/trivy.ts';
export { stageRegistry } from './pipeline/stages.ts';
export { approveStage, createApproveStage } from './steps/approve.ts';
export { type BuildImageOptions, buildImage, buildStage } from './steps/build.ts';
// Steps: lazy functions over Dagger types.
export {
  type CheckoutOptions,
  checkout,
  checkoutStage,
  type SourceInfo,
  sourceInfo,
} from './steps/checkout.ts';
export { deployProductionStage, deployStage, deployStagingStage } from './steps/deploy.ts';
export { type DepsOptions, deps, depsStage, WORKDIR } from './steps/deps.ts';
export { IMAGES, type ImageName } from './steps/images.ts';
export { kyvernoDisagreements, kyvernoPolicy } from './steps/kyverno.ts';
export { type ScanSourceOptions, scanSource, scanStage } from './steps/scan.ts';
export { type Attestations, signAndAttest, signStage } from './steps/sign.ts';
export { junitCounts, type TestCounts, type TestRun, test, testStage } from './steps/test.ts';
export { lockfileHash, resolveToolchain, type Toolchain } from './steps/toolchains.ts';
export { checkVerifyOutput, type VerifiedImage, type VerifyOptions, verify } from './steps/verify.ts';
