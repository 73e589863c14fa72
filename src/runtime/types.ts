import type { GantryConfig } from '../core/config/schema.ts';
import type { StageName } from '../core/graph.ts';
import type { RunManifest } from '../core/manifest/schema.ts';

/** Reads and updates the run manifest; every update is validated and written atomically. */
export interface ManifestHandle {
  /** The current manifest. */
  get(): RunManifest;
  /** Applies a change and persists it. Updates are serialised, so concurrent stages cannot lose each other's. */
  update(change: (draft: RunManifest) => void): Promise<RunManifest>;
}

/** Options of `gantry run` that stages read. */
export interface RunOptions {
  /** The manifest hash a non-interactive approval is given for (`--approve`). */
  approve?: string | undefined;
  /** Approve whatever passed staging in this local run (`--yes`); refused on CI. */
  yes?: boolean | undefined;
  /** Whether a person is at the terminal. */
  isTTY: boolean;
}

/** Everything a stage receives. The Dagger client is the SDK's global `dag`, valid inside the run. */
export interface StageContext {
  /** Validated gantry.yaml. */
  config: GantryConfig;
  /** Absolute path of the repository root. */
  repoRoot: string;
  /** Absolute path of the output folder (reports, JUnit, summary). */
  outDir: string;
  /** The run manifest. */
  manifest: ManifestHandle;
  /** Environment variables (names of secrets only ever reach Dagger as secret URIs). */
  env: Readonly<Record<string, string | undefined>>;
  /** Options given to `gantry run`. */
  options: RunOptions;
  /** Aborted when the run is cancelled (another stage failed, timeout, SIGINT). */
  signal: AbortSignal;
  /** Writes one progress line for this stage. */
  log(line: string): void;
}

/** What a stage may report when it passes. */
export interface StageOutput {
  /** One line for the summary, e.g. "3 passed, 0 failed". */
  message?: string;
}

/** A stage: a plain async function. Failing means throwing a GantryError (its exit code tells how). */
export type StageFn = (ctx: StageContext) => Promise<StageOutput | undefined>;

/** The stage functions, by name. */
export type StageRegistry = Readonly<Record<StageName, StageFn>>;

/** A result event, one per stage, rendered by one formatter per kind. */
export type StageEvent =
  | { kind: 'started'; stage: StageName }
  | { kind: 'passed'; stage: StageName; durationMs: number; message?: string | undefined }
  | {
      kind: 'failed';
      stage: StageName;
      durationMs: number;
      message: string;
      hint?: string | undefined;
      exitCode: number;
    }
  | {
      kind: 'blocked';
      stage: StageName;
      durationMs: number;
      message: string;
      hint?: string | undefined;
      exitCode: number;
    }
  | { kind: 'skipped'; stage: StageName; reason: string };

/** The outcome of a run. */
export interface RunSummary {
  events: StageEvent[];
  exitCode: number;
  durationMs: number;
}
