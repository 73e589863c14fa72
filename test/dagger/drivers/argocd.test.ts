import { describe, expect, it } from 'vitest';
import { ArgoCdWait } from '../../../src/core/config/schema.ts';
import { IMAGES } from '../../../src/core/images.ts';
import { waitForArgoCd } from '../../../src/dagger/drivers/argocd.ts';
import { gitopsDriver, REPO_DIR } from '../../../src/dagger/drivers/gitops.ts';
import type { ExecRule } from '../../support/engine/index.ts';
import { request, runDriver, stagingOverlay } from './support.ts';

const TOKEN = 'argocd-token-SECRET-0123';
const SHA = 'a1b2c3d4'.repeat(5);
const FILE = 'apps/hello-api/kustomization.yaml';
const app = (revision: string) =>
  JSON.stringify({ metadata: { name: 'hello-api' }, status: { sync: { revision } } });

function settings(argocd: Record<string, unknown>) {
  return {
    driver: 'gitops',
    gitops: {
      repository: 'https://github.com/acme/gitops',
      file: FILE,
      token: 'env://GITOPS_TOKEN',
      argocd: {
        server: 'argocd.example.com',
        application: 'hello-api',
        token: 'env://ARGOCD_TOKEN',
        ...argocd,
      },
    },
  };
}

async function deploy(exec: ExecRule[], argocd: Record<string, unknown> = {}) {
  return runDriver(
    {
      exec: [{ argv: ['git', 'rev-parse', 'HEAD'], stdout: `${SHA}\n` }, ...exec],
      files: { [`${REPO_DIR}/${FILE}`]: await stagingOverlay() },
      secrets: { 'env://GITOPS_TOKEN': 'ghp_x', 'env://ARGOCD_TOKEN': TOKEN },
    },
    (r) => gitopsDriver().deploy({ ...r, cluster: undefined }),
    request(settings(argocd)),
  );
}

/** An `argocd app get` that reports the pushed commit. */
const appGet: ExecRule = { argv: (a) => a[0] === 'argocd' && a[2] === 'get', stdout: app(SHA) };

describe('Argo CD wait after a GitOps push (wire)', () => {
  it('waits for the pushed commit to sync, then for health, with the token only as a secret', async () => {
    const { engine, outcome, error } = await deploy([appGet]);
    expect(error).toBeUndefined();
    expect(outcome?.result).toBe('deployed');
    const argo = engine.execs().filter((e) => e.argv[0] === 'argocd');
    expect(argo.map((e) => e.argv)).toEqual([
      ['argocd', 'app', 'get', 'hello-api', '--refresh', '-o', 'json'],
      ['argocd', 'app', 'wait', 'hello-api', '--health', '--timeout', '300'],
    ]);
    for (const e of argo) {
      expect(e.image).toBe(IMAGES.argocd);
      expect(e.env.ARGOCD_SERVER).toBe('argocd.example.com');
      expect(e.secrets).toEqual([{ target: 'ARGOCD_AUTH_TOKEN', as: 'env', secret: 'env://ARGOCD_TOKEN' }]);
      expect(Object.values(e.env)).not.toContain(TOKEN);
    }
    expect(engine.leaks(TOKEN)).toEqual([]);
  });

  it('fails the stage when the application never reaches the pushed commit', async () => {
    const { engine, error } = await deploy(
      [{ argv: (a) => a[0] === 'argocd' && a[2] === 'get', stdout: app('f'.repeat(40)) }],
      { timeout: '1s' },
    );
    expect(error).toMatchObject({ code: 'ARGOCD_NOT_SYNCED', exitCode: 1 });
    expect(String((error as Error).message)).toContain('did not sync a1b2c3d4a1b2');
    expect(engine.execs().some((e) => e.argv[2] === 'wait')).toBe(false);
  });

  it('fails the stage with argocd output when the application does not become healthy', async () => {
    const { error } = await deploy([
      appGet,
      {
        argv: (a) => a[0] === 'argocd' && a[2] === 'wait',
        exitCode: 20,
        stderr: 'application hello-api is Degraded',
      },
    ]);
    expect(error).toMatchObject({ code: 'ARGOCD_WAIT_FAILED' });
    expect(String((error as Error).message)).toContain('Degraded');
  });

  it('looks again until Argo CD has synced the pushed commit, not the one before it', async () => {
    const sleeps: number[] = [];
    const { engine, error } = await runDriver(
      {
        // Looks 1 and 2 still see the revision from before the push.
        leaves: (leaf) => {
          if (leaf.type !== 'Container' || leaf.field !== 'stdout') return undefined;
          const attempt = leaf.steps.find(
            (s) => s.field === 'withEnvVariable' && s.args.name === 'GANTRY_ATTEMPT',
          );
          if (!attempt) return undefined;
          return app(Number(attempt.args.value) < 3 ? 'f'.repeat(40) : SHA);
        },
        secrets: { 'env://ARGOCD_TOKEN': TOKEN },
      },
      async () => {
        const argocd = ArgoCdWait.parse({
          server: 'argocd.example.com',
          application: 'hello-api',
          token: 'env://ARGOCD_TOKEN',
        });
        await waitForArgoCd(argocd, SHA, {
          intervalMs: 1000,
          sleep: async (ms) => void sleeps.push(ms),
          runId: 'run-7',
        });
        return { result: 'deployed', target: 'x' };
      },
      request({}),
    );
    expect(error).toBeUndefined();
    expect(sleeps).toEqual([1000, 1000]);
    const looks = engine.execs().filter((e) => e.argv[2] === 'get');
    expect(looks).toHaveLength(3);
    expect(engine.execs().filter((e) => e.argv[2] === 'wait')).toHaveLength(1);
    // Attempt numbers 1…N repeat in every run, so each look also carries the run id: a later run never reads
    // an earlier run's status from Dagger's cache (Dagger cookbook "Invalidate cache"; facts §3).
    for (const e of engine.execs().filter((x) => x.argv[0] === 'argocd')) {
      expect(e.env.GANTRY_RUN_ID).toMatch(/^run-7\./);
    }
  });

  it('validates the settings: a secret reference for the token, host[:port] for the server', () => {
    expect(() =>
      ArgoCdWait.parse({ server: 'argocd.example.com', application: 'a', token: 'plain' }),
    ).toThrow(/secret/);
    expect(() => ArgoCdWait.parse({ server: 'https://argocd', application: 'a', token: 'env://T' })).toThrow(
      /host/,
    );
    expect(ArgoCdWait.parse({ server: 'argocd:443', application: 'a', token: 'env://T' })).toMatchObject({
      timeout: '300s',
      grpcWeb: false,
    });
  });
});
