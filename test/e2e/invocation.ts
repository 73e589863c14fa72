/**
 * How the end-to-end test runs the pipeline, shared by the real e2e test (pipeline.e2e.test.ts, on GitHub
 * Actions) and its dry check against the wire-test engine (entry.wire.test.ts, in `npm test`).
 *
 * On a CI system `--yes` is refused (src/stages/approve.ts `onCI`: a detected platform or `CI` set; GitHub
 * Actions always sets `CI=true` and `GITHUB_ACTIONS=true`: docs.github.com "Store information in variables",
 * default environment variables). So on CI the production approval comes through the platform's path: the
 * GitHub approval provider (src/core/approval/github.ts) records `GITHUB_ACTOR` for the run. Only on a laptop
 * (no CI at all) does the test self-approve with `--yes`. No refusal is loosened: the same checks run.
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
    args: [join(root, 'pipeline/main.ts'), 'run', ...(ci ? [] : ['--yes']), '--manifest', manifest],
    approval: ci ? 'platform' : 'yes',
  };
}
