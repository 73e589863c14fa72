/**
 * The one error family of Gantry. Every error carries a stable `code`, the process exit code it maps to
 * (see DESIGN.md), and an optional `hint` that tells the user how to fix it.
 */

/** Process exit codes, as documented in DESIGN.md and the README. */
export const ExitCode = {
  /** Everything passed. */
  ok: 0,
  /** A stage failed: tests, build, a tool error, an engine error. */
  stageFailed: 1,
  /** Invalid input: arguments, config, policy file, manifest. */
  invalidInput: 2,
  /** Blocked by a security policy. */
  blocked: 3,
  /** Approval missing, refused, or not matching the digests. */
  approval: 4,
} as const;

/** One of the documented process exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Options shared by every {@link GantryError}. */
export interface GantryErrorOptions {
  /** The underlying error, kept for `--debug`. */
  cause?: unknown;
  /** One sentence telling the user how to fix the problem. */
  hint?: string;
}

/** Base class of every error Gantry raises on purpose. */
export class GantryError extends Error {
  override name = 'GantryError';
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  /** The process exit code this error maps to. */
  readonly exitCode: ExitCode;
  /** How to fix it, shown under the message. */
  readonly hint: string | undefined;

  constructor(code: string, exitCode: ExitCode, message: string, options: GantryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** Invalid input: command-line arguments, gantry.yaml, a policy file, a report file or a run manifest (exit 2). */
export class InputError extends GantryError {
  override name = 'InputError';
  constructor(code: string, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.invalidInput, message, options);
  }
}

/** A stage failed: a test suite, a build, a tool or the engine (exit 1). */
export class StageError extends GantryError {
  override name = 'StageError';
  constructor(code: string, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.stageFailed, message, options);
  }
}

/** A security gate blocked the run (exit 3). Gates fail closed: unreadable evidence is a PolicyError too. */
export class PolicyError extends GantryError {
  override name = 'PolicyError';
  constructor(code: string, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.blocked, message, options);
  }
}

/** An approval is missing, refused, or bound to other digests (exit 4). */
export class ApprovalError extends GantryError {
  override name = 'ApprovalError';
  constructor(code: string, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.approval, message, options);
  }
}

/** Renders an error for a terminal: message and hint, plus the stack only when `debug` is set. */
export function formatError(error: unknown, debug = false): string {
  if (error instanceof GantryError) {
    const lines = [`error[${error.code}]: ${error.message}`];
    if (error.hint) lines.push(`  fix: ${error.hint}`);
    if (debug && error.stack) lines.push('', error.stack);
    if (debug && error.cause instanceof Error && error.cause.stack)
      lines.push('caused by:', error.cause.stack);
    return lines.join('\n');
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`error[INTERNAL]: ${message}`];
  if (debug && error instanceof Error && error.stack) lines.push('', error.stack);
  else lines.push('  (run again with --debug for the stack trace)');
  return lines.join('\n');
}

/** The exit code an error maps to: its own for a {@link GantryError}, 1 for anything else. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof GantryError ? error.exitCode : ExitCode.stageFailed;
}
