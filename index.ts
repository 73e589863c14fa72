/**
 * Gantry as a library: the stages as Dagger steps, and the pieces to compose a pipeline of your own.
 *
 * @example
 * import { connection } from '@dagger.io/dagger';
 * import { checkout, deps, test, resolveToolchain } from 'gantry';
 */

export { main } from './src/cli/main.ts';
// Approvals and deploy drivers.
export { type ApprovalProvider, approvalProvider, requireApproval } from './src/core/approval/index.ts';
// Configuration.
export { DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from './src/core/config/load.ts';
export type { Component, Environment, GantryConfig } from './src/core/config/schema.ts';
// Errors and exit codes.
export {
  ApprovalError,
  ExitCode,
  GantryError,
  InputError,
  PolicyError,
  StageError,
} from './src/core/errors.ts';
// Stage graph, plan and runner.
export { buildGraph, type Selection, type StageGraph, selectStages } from './src/core/graph.ts';
export { IMAGES, type ImageName } from './src/core/images.ts';
export { kyvernoDisagreements, kyvernoPolicy } from './src/core/kyverno.ts';
export type { RunManifest } from './src/core/manifest/schema.ts';
// Run manifest.
export {
  contentHash,
  DEFAULT_MANIFEST_FILE,
  readManifest,
  writeManifest,
} from './src/core/manifest/store.ts';
export { makePlan, type Plan, renderPlan } from './src/core/plan.ts';
export { toGitLabContainerScanning, toGitLabSast } from './src/core/reports/gitlab.ts';
export { toJUnitXml } from './src/core/reports/junit.ts';
export { toSarif } from './src/core/reports/sarif.ts';
export type { Finding } from './src/core/security/finding.ts';
export { evaluateGate, type GateVerdict } from './src/core/security/gate.ts';
export { loadPolicy, type Policy, parsePolicy, type Waiver } from './src/core/security/policy.ts';
export { classifyScannerExit, readScanReport } from './src/core/security/report-file.ts';
export { parseSemgrepReport } from './src/core/security/semgrep.ts';
// Security gate and reports: pure functions over saved scanner output.
export { parseTrivyReport } from './src/core/security/trivy.ts';
export { lockfileHash, resolveToolchain, type Toolchain } from './src/core/toolchains.ts';
export { type DepsOptions, deps, WORKDIR } from './src/dagger/deps.ts';
export { type DeployDriver, deployDriver } from './src/dagger/drivers/index.ts';
export { withEngine } from './src/dagger/engine.ts';
// Steps: lazy functions over Dagger types.
export { type CheckoutOptions, checkout, type SourceInfo, sourceInfo } from './src/dagger/source.ts';
export type { SemgrepRuleFile } from './src/dagger/tools/semgrep.ts';
export { builtinRuleFiles } from './src/dagger/tools/semgrep-rules.ts';
export { checkVerifyOutput, type VerifiedImage, type VerifyOptions, verify } from './src/dagger/verify.ts';
// Pipeline as code: stages as values, the standard stages, the CLI over a definition.
export {
  defineStage,
  type PipelineDefinition,
  type RunOutcome,
  type StageContext,
  type StageDefinition,
  type StageEntry,
  type StageExpansion,
  type StageResult,
} from './src/runtime/define.ts';
export { type RunRequest, runPipeline } from './src/runtime/flow.ts';
export { type ResolvedPipeline, resolvePipeline } from './src/runtime/pipeline.ts';
export { type RunStagesOptions, runStages } from './src/runtime/run-stages.ts';
export type { RunSummary, StageEvent, StageFn } from './src/runtime/types.ts';
export { approveStage, createApproveStage } from './src/stages/approve.ts';
export {
  type BuildImageOptions,
  type BuiltImage,
  buildImage,
  buildStage,
  publishImages,
} from './src/stages/build.ts';
export { checkoutStage } from './src/stages/checkout.ts';
export {
  ApproveOutput,
  BuildOutput,
  CheckoutOutput,
  DeployOutput,
  DepsOutput,
  ScanOutput,
  SignOutput,
  TestOutput,
} from './src/stages/contracts.ts';
export { deployProductionStage, deployStage, deployStagingStage } from './src/stages/deploy.ts';
export { depsStage } from './src/stages/deps.ts';
export { type ScanSourceOptions, scanSource, scanStage } from './src/stages/scan.ts';
export { type Attestations, signAndAttest, signStage } from './src/stages/sign.ts';
export { STANDARD, type StandardStagesOptions, standardStages } from './src/stages/standard.ts';
export { junitCounts, type TestCounts, type TestRun, test, testStage } from './src/stages/test.ts';
