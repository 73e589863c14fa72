/**
 * How the end-to-end test runs the pipeline, shared by the real e2e test (pipeline.e2e.test.ts, on GitHub
 * Actions) and its dry check against the wire-test engine (entry.wire.test.ts, in `npm test`).
 *
 * On a CI system `--yes` is refused (src/stages/approve.ts `onCI`: a detected platform or `CI` set; GitHub
 * Actions always sets `CI=true` and `GITHUB_ACTIONS=true`: docs.github.com "Store information in variables",
 * default environment variables), and an approval needs an approval key or identity behind the platform's gate,
 * which the e2e workflow does not hold. So on CI the run uses test/e2e/ci.gantry.yaml, whose production is not
 * approval-gated (issue 14 allows an e2e pipeline without one); on a laptop it self-approves with `--yes`.
 * No refusal is loosened: the same checks run.
 */
import { join } from 'node:path';
import { onCI } from '../../src/stages/approve.ts';

const root = join(import.meta.dirname, '../..');

/** The command line of the e2e run: the real entry, `tsx pipeline/main.ts run`. */
export interface E2eInvocation {
  command: string;
  args: string[];
  /** Which approval path the run takes: the CI platform's, or `--yes` on a laptop. */
  approval: 'platform' | 'yes';
}

/** The e2e invocation for an environment (`process.env` on the runner). */
export function e2eInvocation(
  env: Readonly<Record<string, string | undefined>>,
  manifest: string,
): E2eInvocation {
  const ci = onCI(env);
  return {
    command: join(root, 'node_modules/.bin/tsx'),
    args: [
      join(root, 'pipeline/main.ts'),
      'run',
      ...(ci ? ['--config', join(root, 'test/e2e/ci.gantry.yaml')] : ['--yes']),
      '--manifest',
      manifest,
    ],
    approval: ci ? 'platform' : 'yes',
  };
}
