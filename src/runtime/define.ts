import type { Container, Directory } from '@dagger.io/dagger';
import type { z } from 'zod';
import type { GantryConfig } from '../core/config/schema.ts';
import type { ManifestHandle, RunOptions } from './types.ts';

/** How a run (or the part of it before the `always` stages) ended, as `always` stages see it. */
export interface RunOutcome {
  /** `passed` when every other selected stage passed. */
  status: 'passed' | 'failed' | 'blocked' | 'cancelled';
  /** The exit code the run will end with. */
  exitCode: number;
  /** Each stage's status in this run (and earlier phases of it, from the manifest). */
  stages: Readonly<Record<string, 'passed' | 'failed' | 'blocked' | 'skipped'>>;
}

/** What a stage's `run` receives. */
export interface StageContext {
  /** The stage's own name. */
  readonly stage: string;
  /** Validated gantry.yaml. */
  readonly config: GantryConfig;
  /** Absolute path of the repository root. */
  readonly repoRoot: string;
  /** gantry.yaml as given to the run, relative to the repository root. @default 'gantry.yaml' */
  readonly configFile?: string | undefined;
  /** Absolute path of the output folder (reports, JUnit, summary). */
  readonly outDir: string;
  /** The run manifest (the standard stages record digests, verdicts, approvals and deployments in it). */
  readonly manifest: ManifestHandle;
  /** Environment variables: read names only; secret values reach Dagger as secret URIs, never as strings. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Options given to `gantry run`. */
  options: RunOptions;
  /** Aborted when the run is cancelled (another stage failed, timeout, SIGINT). */
  readonly signal: AbortSignal;
  /** Writes one progress line for this stage. */
  log(line: string): void;
  /**
   * The checked-out source of the repository (git-ignored files excluded), or of one component's folder.
   * Lazy and shared: every stage gets the same Dagger directory, so the engine's cache does the rest.
   */
  source(component?: string): Directory;
  /** The component's dependency container (toolchain image, dependencies installed, cache volumes mounted). */
  installed(component: string): Promise<Container>;
  /**
   * The validated output of an earlier stage, from this run or an earlier phase of it (the run manifest).
   * Pass the stage value for a typed result. Throws (exit 2) when that stage has recorded no output.
   */
  outputOf<O>(stage: StageDefinition<string, O>): O;
  outputOf(name: string): unknown;
  /** How the other stages ended. Set for `always` stages only. */
  readonly outcome: RunOutcome | undefined;
}

/** What a stage's `run` returns. */
export interface StageResult<O = unknown> {
  /** One line for the summary, e.g. "3 passed, 0 failed". */
  message?: string | undefined;
  /** Output kept in the run manifest under the stage's name (validated by the stage's `output` schema). */
  output?: O | undefined;
}

/** A stage of a pipeline: a value made by {@link defineStage}. */
export interface StageDefinition<N extends string = string, O = unknown> {
  /** Unique name: lowercase letters, digits and dashes, e.g. `lint` or `deploy-staging`. */
  readonly name: N;
  /** The CI phase (job) the stage runs in, e.g. `verify`; a new name makes a new CI job. */
  readonly phase: string;
  /** Stages that must have passed (in this run or an earlier phase) before this one starts. */
  readonly needs: readonly string[];
  /** The work: an async function over the Dagger API. Failing means throwing (a `GantryError` picks the exit code). */
  // biome-ignore lint/suspicious/noConfusingVoidType: `async () => {}` (no result) must be a valid run
  readonly run: (ctx: StageContext) => Promise<StageResult<O> | undefined | void>;
  /** Runs after all other stages, whatever happened (notifications, cleanup); never changes the exit code. @default false */
  readonly always?: boolean | undefined;
  /** Zod schema of the stage's output; the output is validated and kept in the run manifest. @default no output */
  readonly output?: z.ZodType<O> | undefined;
  /** Secret URIs the stage needs (`env://SLACK_WEBHOOK`), so `validate` and the generated CI jobs know them. @default [] */
  readonly secrets?: readonly string[] | undefined;
  /** Time limit, e.g. `90s`, `10m`. @default the config's `stageTimeout` */
  readonly timeout?: string | undefined;
  /** How many times a failed run (exit 1 only, never a policy or approval refusal) is retried. @default 0 */
  readonly retries?: number | undefined;
  /**
   * What the stage does, for the invariants Gantry checks on any definition: a `deploy` stage needs a `scan`
   * stage before it unless the pipeline says `allowUnscanned: true`. @default 'custom'
   */
  readonly kind?: 'scan' | 'deploy' | 'approve' | 'custom' | undefined;
  /** One line for `plan` and the docs. */
  readonly description?: string | undefined;
}

/**
 * Defines a stage. An identity function that keeps the literal name and the output type.
 *
 * @example
 * const lint = defineStage({ name: 'lint', phase: 'verify', needs: ['deps'], run: async (ctx) => ({ message: 'ok' }) });
 */
export function defineStage<const N extends string, O = unknown>(
  stage: StageDefinition<N, O>,
): StageDefinition<N, O> {
  return stage;
}

/**
 * Stages that are known only once gantry.yaml is read (one deploy stage per environment). `standardStages()`
 * returns one of these among plain stages; the CLI expands it with the loaded config.
 */
export interface StageExpansion {
  readonly expand: (config: GantryConfig) => readonly StageDefinition[];
}

/** One entry of a pipeline's stage list. */
// biome-ignore lint/suspicious/noExplicitAny: a list holds stages with different output types
export type StageEntry = StageDefinition<string, any> | StageExpansion;

/** A whole pipeline: its stages and the options that apply to all of them. */
export interface PipelineDefinition {
  /** The stages, in any order; `needs` orders them. */
  readonly stages: readonly StageEntry[];
  /**
   * Phase order, for CI jobs and `--phase`. @default the order in which phases first appear in the stage
   * list, sorted by the stages' needs
   */
  readonly phases?: readonly string[] | undefined;
  /** Allow deploy stages without a scan stage before them (shown in `plan` and the summary). @default false */
  readonly allowUnscanned?: boolean | undefined;
  /** gantry.yaml, relative to the repository root. @default 'gantry.yaml' */
  readonly config?: string | undefined;
}

/** True when an entry is a {@link StageExpansion}. */
export function isExpansion(entry: StageEntry): entry is StageExpansion {
  return typeof (entry as StageExpansion).expand === 'function';
}
