import { confirm } from '@inquirer/prompts';
import { ApprovalError } from '../errors.ts';
import type { ApprovalRecord } from '../manifest/schema.ts';
import { digestsOf, stagingPassed } from './binding.ts';
import { checkGivenHash } from './given-hash.ts';
import type { ApprovalProvider, ApprovalRequest } from './types.ts';

/** Asks a yes/no question at the terminal. */
export type Confirm = (message: string, signal?: AbortSignal) => Promise<boolean>;

/** Asks with `@inquirer/prompts`; the answer defaults to "no". */
export const inquirerConfirm: Confirm = (message, signal) =>
  confirm({ message, default: false }, signal ? { signal } : {});

/** Options of {@link localApproval}. */
export interface LocalApprovalOptions {
  /** How to ask. @default {@link inquirerConfirm} */
  confirm?: Confirm;
}

/**
 * Approval by the person running Gantry locally: `--approve <hash>` (non-interactive), `--yes` (approve
 * what passed staging in this run, recorded as self-approved), or an interactive prompt showing the digests,
 * the scan verdict and the staging result. Without a terminal and without `--approve` it refuses, saying how.
 */
export function localApproval(options: LocalApprovalOptions = {}): ApprovalProvider {
  const { confirm: ask = inquirerConfirm } = options;
  return {
    platform: 'local',
    async approve(request) {
      const { hash, env, options: run } = request;
      const at = (request.now ?? (() => new Date()))().toISOString();
      const by = env.GANTRY_APPROVER ?? env.USER ?? env.USERNAME ?? env.LOGNAME ?? 'local user';
      const record = (selfApproved: boolean): ApprovalRecord => ({
        hash,
        by,
        at,
        platform: 'local',
        selfApproved,
      });
      if (run.approve !== undefined) {
        checkGivenHash(run.approve, hash);
        return record(false);
      }
      if (run.yes) return record(true);
      if (!run.isTTY) {
        throw new ApprovalError(
          'APPROVAL_NEEDS_TTY',
          `approval of manifest content hash ${hash} is needed, and no terminal is attached to ask`,
          {
            hint: `check the digests in the manifest, then run again with --approve ${hash} (or --yes in a local run)`,
          },
        );
      }
      for (const line of describe(request)) request.show(line);
      if (await ask(`Approve ${hash.slice(0, 19)}… for production?`, request.signal)) return record(false);
      throw new ApprovalError('APPROVAL_REFUSED', `approval of ${hash} was refused at the prompt`, {
        hint: 'fix what made you refuse, run the release again, then approve the new digests',
      });
    },
  };
}

/** What the person approving sees: the hash, every digest, the scan verdicts and the staging result. */
export function describe(request: Pick<ApprovalRequest, 'hash' | 'manifest'>): string[] {
  const { hash, manifest } = request;
  const lines = [`manifest content hash: ${hash}`];
  if (manifest.source) lines.push(`commit: ${manifest.source.commit} (${manifest.source.ref})`);
  for (const [name, ref] of Object.entries(digestsOf(manifest))) lines.push(`image ${name}: ${ref}`);
  lines.push(`source scan: ${manifest.scan?.verdict ?? 'not run'}`);
  lines.push(`image scan: ${manifest.imageScan?.verdict ?? 'not run'}`);
  const staging = stagingPassed(manifest, hash);
  lines.push(
    staging
      ? `staging: deployed ${staging.at}${staging.url ? ` (${staging.url})` : ''}`
      : 'staging: no deployment of these digests',
  );
  return lines;
}
