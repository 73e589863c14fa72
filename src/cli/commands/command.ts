import type { ExitCode } from '../../core/errors.ts';
import type { PipelineDefinition } from '../../runtime/define.ts';

/** What a command may touch. Everything comes in here so that commands are testable without a process. */
export interface CommandContext {
  /** Arguments after the command name, e.g. `['--format', 'json']` for `gantry plan --format json`. */
  readonly args: readonly string[];
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory: the repository root by default. */
  readonly cwd: string;
  /** Writes to standard output (the command adds its own newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (the command adds its own newlines). */
  readonly stderr: (text: string) => void;
  /** Whether standard input is an interactive terminal. */
  readonly isTTY: boolean;
  /** Print stack traces of unexpected errors. */
  readonly debug: boolean;
  /** Aborted on SIGINT/SIGTERM. @default never */
  readonly signal?: AbortSignal;
  /** The pipeline: the stage list of the repository's pipeline/main.ts (or the standard stages). */
  readonly definition: PipelineDefinition;
}

/** One `gantry` sub-command. Errors are thrown as `GantryError`s; the entry point renders them. */
export interface Command {
  /** The word typed after `gantry`. */
  readonly name: string;
  /** One line for `gantry --help`. */
  readonly summary: string;
  /** Usage text for `gantry <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(ctx: CommandContext): Promise<ExitCode>;
}
