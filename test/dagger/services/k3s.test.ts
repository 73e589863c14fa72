import { connection } from '@dagger.io/dagger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { IMAGES } from '../../../src/core/images.ts';
import { freshId } from '../../../src/dagger/fresh.ts';
import {
  embeddedCluster,
  K3S_SERVER_ARGS,
  READ_KUBECONFIG,
  registriesYaml,
} from '../../../src/dagger/services/k3s.ts';
import { embeddedRegistry } from '../../../src/dagger/services/registry.ts';
import { startTestEngine, type TestEngine } from '../../support/engine/index.ts';

const KUBECONFIG =
  'apiVersion: v1\nclusters:\n- cluster:\n    server: https://k3s:6443\nusers:\n- user:\n    client-key-data: PRIVATE\n';

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('embedded k3s (wire)', () => {
  it('starts k3s privileged as a service, mirrors the embedded registry, and keeps the kubeconfig a secret', async () => {
    engine = await startTestEngine({ exec: [{ argv: READ_KUBECONFIG, stdout: KUBECONFIG }] });
    let name = '';
    await engine.run(() =>
      connection(async () => {
        const cluster = await embeddedCluster('run-k3s-1', { registry: embeddedRegistry('run-k3s-1') });
        name = await cluster.kubeconfig.name();
        expect(await embeddedCluster('run-k3s-1')).toBe(cluster);
      }),
    );
    expect(name).toBe(`gantry-k3s-kubeconfig-${freshId('run-k3s-1')}`);
    const [read] = engine.execs();
    expect(read?.image).toBe(IMAGES.k3s);
    expect(read?.caches).toEqual([{ path: '/gantry/k3s', key: `gantry-k3s-${freshId('run-k3s-1')}` }]);
    const server = read?.services[0]?.source ?? [];
    expect(server.find((s) => s.field === 'from')?.args.address).toBe(IMAGES.k3s);
    expect(server.find((s) => s.field === 'asService')?.args).toEqual({
      args: K3S_SERVER_ARGS,
      useEntrypoint: true,
      insecureRootCapabilities: true,
      // k3s evacuates the cgroup v2 root only as PID 1 (k3s pkg/cli/cmds/init_linux.go); Dagger's init is
      // skipped by asService(noInit: true) (schema-v0.21.8.graphqls Container.asService). Facts §2.
      noInit: true,
    });
    expect(server.find((s) => s.field === 'withServiceBinding')?.args.alias).toBe('registry');
    expect(server.find((s) => s.field === 'withMountedCache')?.args.path).toBe('/gantry/k3s');
    // Started explicitly, so it stays up for every deploy of the run.
    expect(engine.calls.some((c) => c.type === 'Service' && c.steps.at(-1)?.field === 'start')).toBe(true);
    expect(engine.leaks(KUBECONFIG)).toEqual([]);
    expect(engine.leaks('PRIVATE')).toEqual([]);
  });

  it('a resumed run (a new process, same run id) reads the kubeconfig of its own k3s, not the earlier one', async () => {
    // `--from deploy-staging` in a new process starts a new k3s (new certificates); a volume named by run id
    // alone would still hold the earlier process's kubeconfig, and the read exec would be answered from cache.
    const keys: string[] = [];
    for (const process of [1, 2]) {
      vi.resetModules(); // a new process: new module state, new process id
      const k3s = await import('../../../src/dagger/services/k3s.ts');
      engine = await startTestEngine({ exec: [{ argv: k3s.READ_KUBECONFIG, stdout: KUBECONFIG }] });
      await engine.run(() => connection(async () => void (await k3s.embeddedCluster('run-resumed'))));
      const [read] = engine.execs();
      const server = read?.services[0]?.source ?? [];
      const serverVolume = server.find((s) => s.field === 'withMountedCache')?.args.cache as {
        args: Record<string, unknown>;
      }[];
      keys.push(String(read?.caches[0]?.key));
      expect(serverVolume.at(-1)?.args.key, `process ${process}`).toBe(read?.caches[0]?.key);
      expect(read?.env.GANTRY_RUN_ID).toMatch(/^run-resumed\./);
      await engine.close();
      engine = undefined;
    }
    expect(keys[0]).toMatch(/^gantry-k3s-run-resumed\./);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('mirrors localhost:5000 to the registry service over HTTP', () => {
    expect(parse(registriesYaml())).toEqual({
      mirrors: { 'localhost:5000': { endpoint: ['http://registry:5000'] } },
    });
    expect(K3S_SERVER_ARGS).toContain('--tls-san=k3s');
  });
});
