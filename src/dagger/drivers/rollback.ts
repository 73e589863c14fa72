/**
 * Rolling back after a failed rollout or smoke check, when there may be nothing to roll back to.
 * On a first deploy the tools refuse, and the refusal must not hide why the deploy failed:
 * - kubectl `rollout undo` of a Deployment with one revision: `no rollout history found for deployment "x"`
 *   (kubernetes/kubectl `pkg/polymorphichelpers/rollback.go`, `deploymentRevision()`); DaemonSet/StatefulSet:
 *   `no last revision to roll back to`.
 * - `helm rollback <release> 0` on revision 1: `release has no 0 version` (helm v3.16.3 `pkg/action/rollback.go`,
 *   `errors.Errorf("release has no %d version", previousVersion)`).
 * See /work/notes/issue12-facts.md §8.
 */
import { type Container, ReturnType } from '@dagger.io/dagger';
import { StageError } from '../../core/errors.ts';
import type { DeployOutcome } from './types.ts';

/** What kubectl and helm print when there is no earlier revision to go back to. */
export const NOTHING_TO_ROLL_BACK = [
  /no rollout history found/,
  /no last revision to roll back to/,
  /release has no 0 version/,
];

/**
 * Runs `argv` (the undo) in `ctr`. Undone → `rolled-back` with the original `cause`; nothing to roll back to
 * (a first deploy) → `failed` with the original `cause`; the undo itself failing → a StageError naming both.
 */
export async function rollBack(
  ctr: Container,
  argv: string[],
  cause: string,
  target: string,
): Promise<DeployOutcome> {
  const undo = ctr.withExec(argv, { expect: ReturnType.Any });
  if ((await undo.exitCode()) === 0) return { result: 'rolled-back', target, message: cause };
  const stderr = (await undo.stderr()).trim();
  if (NOTHING_TO_ROLL_BACK.some((re) => re.test(stderr))) {
    return {
      result: 'failed',
      target,
      message: `${cause} (first deploy: no earlier revision to roll back to)`,
    };
  }
  throw new StageError('ROLLBACK_FAILED', `${cause}; then the rollback failed too: ${stderr}`, {
    hint: `the failed version may still be running in ${target}; roll back by hand (${argv.join(' ')}) and fix the cause above`,
  });
}

/** One outcome of several components: deployed when all are; failed when any had nothing to roll back to. */
export function combineOutcomes(
  outcomes: readonly DeployOutcome[],
  target: string,
  url?: string,
): DeployOutcome {
  const notDeployed = outcomes.filter((o) => o.result !== 'deployed');
  const result =
    notDeployed.length === 0
      ? 'deployed'
      : notDeployed.some((o) => o.result === 'failed')
        ? 'failed'
        : 'rolled-back';
  return { result, target, url, message: notDeployed.map((o) => o.message).join('; ') || undefined };
}
