import type { ApprovalRecord, RunManifest } from '../manifest/schema.ts';
import type { PlatformName } from '../platform.ts';
import type { RunOptions } from '../run-options.ts';

/** What an approval provider is asked to approve: one manifest content hash. */
export interface ApprovalRequest {
  /** The content hash recomputed from the manifest (commit + digests); the record binds to it. */
  hash: string;
  /** The manifest, to show digests, the scan verdict and the staging result. */
  manifest: RunManifest;
  /** The job's environment variables (where CI platforms name the approver). */
  env: Readonly<Record<string, string | undefined>>;
  /** `--approve`, `--yes` and whether a person is at the terminal. */
  options: RunOptions;
  /** Writes one line for the person approving. */
  show(line: string): void;
  /** Aborts a pending prompt. */
  signal?: AbortSignal | undefined;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** The environment being approved, e.g. `production`. */
  environment: string;
  /** HTTP client for a platform API that names the reviewer (GitHub). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
}

/** One way to obtain an approval: a person at the terminal or a CI platform's own gate. */
export interface ApprovalProvider {
  /** The platform whose approval this provider records. */
  readonly platform: PlatformName;
  /** Returns the approval record for `request.hash`, or throws an ApprovalError (exit 4). */
  approve(request: ApprovalRequest): Promise<ApprovalRecord>;
}
