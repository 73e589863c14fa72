import { type Container, dag, ExecError } from '@dagger.io/dagger';
import type { ArgoCdWait } from '../../core/config/schema.ts';
import { parseDuration } from '../../core/duration.ts';
import { StageError } from '../../core/errors.ts';
import { IMAGES } from '../../core/images.ts';
import { freshPerRun } from '../fresh.ts';

/** Settings of an Argo CD wait, defaults applied. */
export type ArgoCdSettings = ArgoCdWait;

/** Options of {@link waitForArgoCd}. */
export interface ArgoCdWaitOptions {
  /** Pause between two looks at the application's revision. @default 5000 ms */
  intervalMs?: number;
  /** Waits between looks (tests pass a fake). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Progress lines. @default ignore */
  log?: (line: string) => void;
  /** The run: its status looks are never answered from an earlier run's cache. @default a new id per process */
  runId?: string | undefined;
}

/** The argocd CLI, pointed at the server; the token travels only as the secret `ARGOCD_AUTH_TOKEN`. */
export function argocdContainer(settings: ArgoCdSettings): Container {
  const ctr = dag
    .container()
    .from(IMAGES.argocd)
    .withEnvVariable('ARGOCD_SERVER', settings.server)
    .withSecretVariable('ARGOCD_AUTH_TOKEN', dag.secret(settings.token));
  return settings.grpcWeb ? ctr.withEnvVariable('ARGOCD_OPTS', '--grpc-web') : ctr;
}

/** The revision an application is synced to, read from `argocd app get -o json`. */
export function syncedRevision(json: string): string | undefined {
  try {
    const app = JSON.parse(json) as { status?: { sync?: { revision?: unknown } } };
    const revision = app.status?.sync?.revision;
    return typeof revision === 'string' ? revision : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the Argo CD application has synced the pushed commit (`argocd app get --refresh`, polled),
 * then until it is healthy (`argocd app wait --health`). `argocd app wait` alone could return at once for
 * the revision synced before the push, so the commit is checked first.
 */
export async function waitForArgoCd(
  settings: ArgoCdSettings,
  revision: string,
  options: ArgoCdWaitOptions = {},
): Promise<void> {
  const {
    intervalMs = 5000,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
    log = () => {},
    runId,
  } = options;
  const timeoutMs = parseDuration(settings.timeout);
  const argocd = argocdContainer(settings);
  const app = settings.application;
  const attempts = Math.max(1, Math.ceil(timeoutMs / intervalMs));
  let seen: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    // The run id and attempt number keep Dagger from answering a look from the cache of an earlier one
    // (the attempt numbers 1…N repeat in every run).
    const json = await argocd
      .withEnvVariable('GANTRY_ATTEMPT', String(attempt))
      .with(freshPerRun(runId))
      .withExec(['argocd', 'app', 'get', app, '--refresh', '-o', 'json'])
      .stdout()
      .catch((error: unknown) => {
        throw argoError(`argocd app get ${app} failed`, error);
      });
    seen = syncedRevision(json);
    if (seen === revision) break;
    if (attempt === attempts) {
      throw new StageError(
        'ARGOCD_NOT_SYNCED',
        `Argo CD application ${app} did not sync ${revision.slice(0, 12)} within ${settings.timeout} (it is at ${seen?.slice(0, 12) ?? 'no revision'})`,
        {
          hint: 'check the application in Argo CD (auto-sync on, the right branch and path), or raise gitops.argocd.timeout',
        },
      );
    }
    await sleep(intervalMs);
  }
  log(`Argo CD application ${app} synced ${revision.slice(0, 12)}; waiting for it to be healthy`);
  const seconds = String(Math.ceil(timeoutMs / 1000));
  await argocd
    .withEnvVariable('GANTRY_REVISION', revision)
    .with(freshPerRun(runId))
    .withExec(['argocd', 'app', 'wait', app, '--health', '--timeout', seconds])
    .sync()
    .catch((error: unknown) => {
      throw argoError(`Argo CD application ${app} did not become healthy within ${settings.timeout}`, error);
    });
}

function argoError(message: string, error: unknown): StageError {
  const detail =
    error instanceof ExecError
      ? `: ${`${error.stdout}\n${error.stderr}`.trim().split('\n').slice(-5).join('\n')}`
      : '';
  return new StageError('ARGOCD_WAIT_FAILED', `${message}${detail}`, {
    cause: error,
    hint: 'look at the application in Argo CD; the commit is pushed, so fix forward or revert it in the GitOps repository',
  });
}
