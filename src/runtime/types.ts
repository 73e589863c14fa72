import type { RunManifest } from '../core/manifest/schema.ts';

/** Reads and updates the run manifest; every update is validated and written atomically. */
export interface ManifestHandle {
  /** The current manifest. */
  get(): RunManifest;
  /** Applies a change and persists it. Updates are serialised, so concurrent stages cannot lose each other's. */
  update(change: (draft: RunManifest) => void): Promise<RunManifest>;
}

export type { RunOptions } from '../core/run-options.ts';

export type { StageContext } from './define.ts';

/** A stage function, as the standard stages write theirs before `defineStage` wraps them. */
export type StageFn = (ctx: import('./define.ts').StageContext) => Promise<StageOutput | undefined>;

/** What a stage may report when it passes. */
export interface StageOutput {
  /** One line for the summary, e.g. "3 passed, 0 failed". */
  message?: string | undefined;
  /** Output kept in the run manifest under the stage's name. */
  output?: unknown;
}

/** A result event, one per stage, rendered by one formatter per kind. */
export type StageEvent =
  | { kind: 'started'; stage: string }
  | { kind: 'passed'; stage: string; durationMs: number; message?: string | undefined }
  | {
      kind: 'failed';
      stage: string;
      durationMs: number;
      message: string;
      hint?: string | undefined;
      exitCode: number;
      /** An `always` stage: reported, but it does not change the run's exit code. */
      always?: boolean | undefined;
    }
  | {
      kind: 'blocked';
      stage: string;
      durationMs: number;
      message: string;
      hint?: string | undefined;
      exitCode: number;
      /** An `always` stage: reported, but it does not change the run's exit code. */
      always?: boolean | undefined;
    }
  | { kind: 'skipped'; stage: string; reason: string };

/** The outcome of a run. */
export interface RunSummary {
  events: StageEvent[];
  exitCode: number;
  durationMs: number;
}
