import { describe, expect, it } from 'vitest';
import { engineTarget, withEngine } from '../../src/dagger/engine.ts';

const none = () => false;

describe('engineTarget', () => {
  it('prefers a dagger run session', () => {
    expect(
      engineTarget({ DAGGER_SESSION_PORT: '4321', _EXPERIMENTAL_DAGGER_RUNNER_HOST: 'tcp://x:1' }, none),
    ).toMatchObject({
      kind: 'session',
      description: expect.stringContaining('127.0.0.1:4321'),
    });
  });

  it.each([
    ['tcp://dagger-engine.ci.svc:1234', 'shared engine at tcp://dagger-engine.ci.svc:1234'],
    [
      'kube-pod://dagger-engine-0?namespace=dagger&container=dagger-engine',
      'shared engine at kube-pod://dagger-engine-0',
    ],
    ['unix:///run/dagger/engine.sock', 'shared engine at unix:///run/dagger/engine.sock'],
  ])('passes a runner host through: %s', (host, description) => {
    const target = engineTarget({ _EXPERIMENTAL_DAGGER_RUNNER_HOST: host }, none);
    expect(target.kind).toBe('runner-host');
    expect(target.description).toContain(description);
  });

  it('hides credentials in a runner host URL', () => {
    expect(
      engineTarget({ _EXPERIMENTAL_DAGGER_RUNNER_HOST: 'tcp://user:pw@host:1234' }, none).description,
    ).not.toContain('pw');
  });

  it('rejects an unknown runner host scheme', () => {
    expect(engineTarget({ _EXPERIMENTAL_DAGGER_RUNNER_HOST: 'http://x' }, none).kind).toBe('none');
  });

  // dagger/dagger v0.21.8 engine/client/drivers/: container.go, dial.go and cloud.go init() → register().
  // Facts §7.
  it.each([
    'docker-image://registry.dagger.io/engine:v0.21.8',
    'docker-container://dagger-engine',
    'image://registry.dagger.io/engine:v0.21.8',
    'container://dagger-engine',
    'image+podman://registry.dagger.io/engine:v0.21.8',
    'container+podman://dagger-engine',
    'container+docker://e',
    'image+apple://e',
    'container+finch://e',
    'image+nerdctl://e',
    'tls://engine:1234',
    'ssh://user@host',
    'dagger-cloud://default',
  ])('accepts every scheme Dagger v0.21.8 registers: %s', (host) => {
    expect(engineTarget({ _EXPERIMENTAL_DAGGER_RUNNER_HOST: host }, none).kind).toBe('runner-host');
  });

  it.each(['podman-container://e', 'podman-image://e', 'kube://x', 'https://x'])(
    'refuses a scheme Dagger v0.21.8 does not register: %s',
    (host) => {
      const target = engineTarget({ _EXPERIMENTAL_DAGGER_RUNNER_HOST: host }, none);
      expect(target.kind).toBe('none');
      expect(target.description).toContain('container+podman://');
    },
  );

  it('uses Docker when a daemon socket or DOCKER_HOST is there', () => {
    expect(engineTarget({}, (p) => p === '/var/run/docker.sock').kind).toBe('docker');
    expect(engineTarget({ DOCKER_HOST: 'tcp://docker:2376' }, none).kind).toBe('docker');
    expect(engineTarget({}, none).kind).toBe('none');
  });
});

describe('withEngine', () => {
  it('refuses with instructions when no engine is reachable, before provisioning anything', async () => {
    let called = false;
    const env = { _EXPERIMENTAL_DAGGER_RUNNER_HOST: 'http://nowhere' };
    await expect(
      withEngine(
        env,
        () => {},
        async () => {
          called = true;
        },
      ),
    ).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      exitCode: 1,
      hint: expect.stringContaining('dagger run'),
    });
    expect(called).toBe(false);
  });

  it('turns a session that does not answer into a clear error', async () => {
    const lines: string[] = [];
    const env = { DAGGER_SESSION_PORT: '1', DAGGER_SESSION_TOKEN: 't' };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const { dag } = await import('@dagger.io/dagger');
      await expect(
        withEngine(
          env,
          (l) => lines.push(l),
          () => dag.version(),
        ),
      ).rejects.toMatchObject({
        code: 'ENGINE_UNREACHABLE',
        message: expect.stringContaining('127.0.0.1:1'),
      });
    } finally {
      process.env = saved;
    }
    expect(lines).toEqual(['engine: Dagger session on 127.0.0.1:1 (dagger run)']);
  });
});
