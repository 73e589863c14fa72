/**
 * Execs that must run fresh on every run. Dagger answers an exec from its cache when the container's
 * definition is unchanged, and the contents of cache volumes are not part of that key (Dagger docs,
 * cookbook "Invalidate cache": "Changes in mounted cache volumes or secrets do not invalidate the Dagger
 * layer cache"; dagger/dagger#10350). A scan of an unchanged source, a `cosign verify` of a digest that
 * verified once, or an Argo CD status look would otherwise return an earlier run's answer. Dagger v0.21.8 has
 * no `withExec(noCache)`, so the documented way is a variable whose value changes per run (the cookbook's
 * `CACHEBUSTER`). Everything else (deps, build, test) stays cached: it never gets this variable.
 */
import { randomUUID } from 'node:crypto';
import type { Container } from '@dagger.io/dagger';

/** The variable set just before an exec that must run fresh. */
export const RUN_ID_VARIABLE = 'GANTRY_RUN_ID';

/**
 * Unique to this process. A retried CI job reuses the run manifest, and so its run id; with the process id
 * added, its scans still run again instead of reading the first attempt's result from a shared engine.
 */
const PROCESS_ID = randomUUID().slice(0, 8);

/** The value of {@link RUN_ID_VARIABLE} for a run: the run id plus this process's id. @default a new id per process */
export function freshId(runId?: string): string {
  return runId ? `${runId}.${PROCESS_ID}` : PROCESS_ID;
}

/** Makes the next exec of a container unique to this run (and process), so Dagger runs it again. */
export function freshPerRun(runId?: string): (ctr: Container) => Container {
  return (ctr) => ctr.withEnvVariable(RUN_ID_VARIABLE, freshId(runId));
}
