import { connection } from '@dagger.io/dagger';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGES } from '../../../src/core/images.ts';
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
    expect(name).toBe('gantry-k3s-kubeconfig-run-k3s-1');
    const [read] = engine.execs();
    expect(read?.image).toBe(IMAGES.k3s);
    expect(read?.caches).toEqual([{ path: '/gantry/k3s', key: 'gantry-k3s-run-k3s-1' }]);
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

  it('mirrors localhost:5000 to the registry service over HTTP', () => {
    expect(parse(registriesYaml())).toEqual({
      mirrors: { 'localhost:5000': { endpoint: ['http://registry:5000'] } },
    });
    expect(K3S_SERVER_ARGS).toContain('--tls-san=k3s');
  });
});
