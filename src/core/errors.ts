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

/**
 * Every error code Gantry raises, with the one exit code it means. A code cannot mean exit 3 in one file and
 * exit 1 in another: the error classes take only the codes of their own exit code (see {@link CodeFor}).
 */
export const ERROR_CODES = {
  APPROVAL_GENERATED_ON_CI: ExitCode.approval,
  APPROVAL_HASH_MISMATCH: ExitCode.approval,
  APPROVAL_KEY_IS_SIGNING_KEY: ExitCode.invalidInput,
  APPROVAL_MISMATCH: ExitCode.approval,
  APPROVAL_MISSING: ExitCode.approval,
  APPROVAL_NEEDS_TTY: ExitCode.approval,
  APPROVAL_NOT_REVIEWED: ExitCode.approval,
  APPROVAL_NOT_VERIFIED: ExitCode.approval,
  APPROVAL_PUBLIC_KEY_MISSING: ExitCode.invalidInput,
  APPROVAL_REFUSED: ExitCode.approval,
  APPROVAL_WRONG_PLATFORM: ExitCode.approval,
  APPROVER_UNKNOWN: ExitCode.approval,
  ARGOCD_NOT_SYNCED: ExitCode.stageFailed,
  ARGOCD_WAIT_FAILED: ExitCode.stageFailed,
  BAD_ARGUMENTS: ExitCode.invalidInput,
  BAD_DURATION: ExitCode.invalidInput,
  CANCELLED: ExitCode.stageFailed,
  CHECKOUT_NOT_GIT: ExitCode.stageFailed,
  CI_ARGS: ExitCode.invalidInput,
  CI_DRIFT: ExitCode.invalidInput,
  CI_FILE_EXISTS: ExitCode.invalidInput,
  CI_FILE_UNREADABLE: ExitCode.invalidInput,
  CI_PLATFORM: ExitCode.invalidInput,
  CI_REF: ExitCode.invalidInput,
  CI_VARIABLE_INVALID: ExitCode.invalidInput,
  COMMAND_FAILED: ExitCode.stageFailed,
  CONFIG_EMPTY: ExitCode.invalidInput,
  CONFIG_INVALID: ExitCode.invalidInput,
  CONFIG_MISSING: ExitCode.invalidInput,
  CONFIG_PATH_OUTSIDE: ExitCode.invalidInput,
  CONFIG_POLICY_UNKNOWN: ExitCode.invalidInput,
  CONFIG_SYNTAX: ExitCode.invalidInput,
  CONFIG_UNREADABLE: ExitCode.invalidInput,
  CONFIG_URL_CREDENTIALS: ExitCode.invalidInput,
  CONVENTION_BROKEN: ExitCode.invalidInput,
  DEFINITION_INVALID: ExitCode.invalidInput,
  DEFINITION_UNSCANNED: ExitCode.invalidInput,
  DEPLOY_FAILED: ExitCode.stageFailed,
  DEPLOY_ROLLED_BACK: ExitCode.stageFailed,
  EMPTY_SELECTION: ExitCode.invalidInput,
  ENGINE_CONNECTION: ExitCode.stageFailed,
  ENGINE_ERROR: ExitCode.stageFailed,
  ENGINE_UNREACHABLE: ExitCode.stageFailed,
  GATE_ARGS: ExitCode.invalidInput,
  GATE_BLOCKED: ExitCode.blocked,
  GATE_NO_REPORTS: ExitCode.invalidInput,
  GITOPS_PUSH_FAILED: ExitCode.stageFailed,
  GITOPS_SETTINGS_MISSING: ExitCode.invalidInput,
  GITOPS_URL_CREDENTIALS: ExitCode.invalidInput,
  HELM_SETTINGS_MISSING: ExitCode.invalidInput,
  IMAGE_REF_INVALID: ExitCode.invalidInput,
  IMAGE_UNSIGNED: ExitCode.blocked,
  INIT_FILE_EXISTS: ExitCode.invalidInput,
  INTERRUPTED: ExitCode.stageFailed,
  KUSTOMIZATION_INVALID: ExitCode.invalidInput,
  KUSTOMIZATION_MISSING: ExitCode.invalidInput,
  KUSTOMIZE_OUTSIDE_COMPONENT: ExitCode.invalidInput,
  KUSTOMIZE_OUTSIDE_REPO: ExitCode.invalidInput,
  MANIFEST_CHANGED: ExitCode.approval,
  MANIFEST_INVALID: ExitCode.invalidInput,
  MANIFEST_UNREADABLE: ExitCode.invalidInput,
  MANIFEST_UNWRITABLE: ExitCode.invalidInput,
  MANIFEST_VERSION: ExitCode.invalidInput,
  NOT_BY_DIGEST: ExitCode.blocked,
  NO_CLUSTER: ExitCode.stageFailed,
  NO_IMAGE_DIGEST: ExitCode.invalidInput,
  NO_PUBLIC_KEY: ExitCode.blocked,
  OIDC_TOKEN_FAILED: ExitCode.invalidInput,
  OIDC_TOKEN_MISSING: ExitCode.invalidInput,
  OUTPUT_INVALID: ExitCode.invalidInput,
  OUTPUT_MISSING: ExitCode.invalidInput,
  OUTPUT_OVERWRITE: ExitCode.stageFailed,
  OUT_DIR_UNWRITABLE: ExitCode.invalidInput,
  POLICY_EMPTY: ExitCode.invalidInput,
  POLICY_INVALID: ExitCode.invalidInput,
  POLICY_MISSING: ExitCode.invalidInput,
  POLICY_SYNTAX: ExitCode.invalidInput,
  PREFLIGHT_FAILED: ExitCode.invalidInput,
  PUBLISH_NO_DIGEST: ExitCode.stageFailed,
  REGISTRY_NOT_ALLOWED: ExitCode.blocked,
  RELEASE_SOURCE_COMMIT_CHANGED: ExitCode.invalidInput,
  RELEASE_SOURCE_NOT_RECORDED: ExitCode.invalidInput,
  RELEASE_SOURCE_TREE_CHANGED: ExitCode.invalidInput,
  RELEASE_UNKNOWN: ExitCode.approval,
  REPORT_DUPLICATE_KEY: ExitCode.blocked,
  REPORT_EMPTY: ExitCode.blocked,
  REPORT_INVALID: ExitCode.blocked,
  REPORT_MISSING: ExitCode.blocked,
  REPORT_SEVERITY: ExitCode.blocked,
  REPORT_TRUNCATED: ExitCode.blocked,
  REPORT_WRONG_TOOL: ExitCode.blocked,
  ROLLBACK_FAILED: ExitCode.stageFailed,
  RUN_LOCKED: ExitCode.invalidInput,
  SCANNER_CRASHED: ExitCode.stageFailed,
  SEMGREP_NO_RULES: ExitCode.invalidInput,
  SEMGREP_RULES_MISSING: ExitCode.invalidInput,
  SEMGREP_RULES_NOT_FILE: ExitCode.invalidInput,
  SEMGREP_RULES_OUTSIDE: ExitCode.invalidInput,
  SIGNATURE_INVALID: ExitCode.blocked,
  SIGNATURE_MISMATCH: ExitCode.blocked,
  SIGNATURE_NOT_VERIFIED: ExitCode.approval,
  SIGN_NOTHING: ExitCode.stageFailed,
  SIGN_NO_SCAN: ExitCode.invalidInput,
  SIGN_NO_SOURCE: ExitCode.invalidInput,
  SOURCE_COMMIT_CHANGED: ExitCode.approval,
  SOURCE_NOT_RECORDED: ExitCode.approval,
  SOURCE_TREE_CHANGED: ExitCode.approval,
  STAGE_OUTPUT_INVALID: ExitCode.stageFailed,
  STAGE_TIMEOUT: ExitCode.stageFailed,
  STAGING_NOT_PASSED: ExitCode.approval,
  TESTS_FAILED: ExitCode.stageFailed,
  UNKNOWN_COMMAND: ExitCode.invalidInput,
  UNKNOWN_COMPONENT: ExitCode.invalidInput,
  UNKNOWN_DRIVER: ExitCode.invalidInput,
  UNKNOWN_ENVIRONMENT: ExitCode.invalidInput,
  UNKNOWN_PHASE: ExitCode.invalidInput,
  UNKNOWN_STAGE: ExitCode.invalidInput,
  VALUES_INVALID: ExitCode.invalidInput,
  YAML_EMPTY: ExitCode.invalidInput,
  YAML_INVALID: ExitCode.invalidInput,
  YAML_SYNTAX: ExitCode.invalidInput,
  YES_ON_CI: ExitCode.approval,
} as const satisfies Record<string, ExitCode>;

/** One error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes that mean exit code `E`. */
export type CodeFor<E extends ExitCode> = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K] extends E ? K : never;
}[ErrorCode];

/**
 * The code an error class accepts: one of Gantry's codes for its exit code, or a code of a team's own stage
 * that is not one of Gantry's (so `new StageError('COVERAGE_LOW', …)` works in pipeline/main.ts, while a
 * Gantry code of another exit code does not compile).
 */
export type OwnCode<E extends ExitCode, C extends string> = C extends ErrorCode
  ? C extends CodeFor<E>
    ? C
    : never
  : C;

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
  /** Stable machine-readable code, e.g. `CONFIG_INVALID` (see {@link ERROR_CODES}). */
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
export class InputError<C extends string = string> extends GantryError {
  override name = 'InputError';
  constructor(code: OwnCode<typeof ExitCode.invalidInput, C>, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.invalidInput, message, options);
  }
}

/** A stage failed: a test suite, a build, a tool or the engine (exit 1). */
export class StageError<C extends string = string> extends GantryError {
  override name = 'StageError';
  constructor(code: OwnCode<typeof ExitCode.stageFailed, C>, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.stageFailed, message, options);
  }
}

/** A security gate blocked the run (exit 3). Gates fail closed: unreadable evidence is a PolicyError too. */
export class PolicyError<C extends string = string> extends GantryError {
  override name = 'PolicyError';
  constructor(code: OwnCode<typeof ExitCode.blocked, C>, message: string, options?: GantryErrorOptions) {
    super(code, ExitCode.blocked, message, options);
  }
}

/** An approval is missing, refused, or bound to other digests (exit 4). */
export class ApprovalError<C extends string = string> extends GantryError {
  override name = 'ApprovalError';
  constructor(code: OwnCode<typeof ExitCode.approval, C>, message: string, options?: GantryErrorOptions) {
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
