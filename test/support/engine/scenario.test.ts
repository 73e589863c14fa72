import { connection, dag, GraphQLRequestError, UnknownDaggerError } from '@dagger.io/dagger';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { engineSchema } from './index.ts';
import { engineSessions } from './session.ts';

const sessions = engineSessions();
const withEngine = sessions.run;

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('session protocol', () => {
  it('answers 401 to a wrong token and the client throws', async () => {
    const engine = await sessions.start();
    const { DAGGER_SESSION_PORT: port, DAGGER_SESSION_TOKEN: token } = engine.env;
    const res = await fetch(`http://127.0.0.1:${port}/query`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('wrong:').toString('base64')}` },
      body: JSON.stringify({ query: '{ version }' }),
    });
    expect(res.status).toBe(401);
    process.env.DAGGER_SESSION_PORT = port;
    process.env.DAGGER_SESSION_TOKEN = `${token}-not`;
    try {
      const err = await failure(connection(() => dag.version().then(() => undefined)));
      expect(err).toBeInstanceOf(GraphQLRequestError);
    } finally {
      delete process.env.DAGGER_SESSION_PORT;
      delete process.env.DAGGER_SESSION_TOKEN;
    }
    expect(engine.requests).toHaveLength(0);
  });

  it('restores the previous session variables after run()', async () => {
    const engine = await sessions.start();
    process.env.DAGGER_SESSION_PORT = 'before';
    try {
      await engine.run(async () =>
        expect(process.env.DAGGER_SESSION_PORT).toBe(engine.env.DAGGER_SESSION_PORT),
      );
      expect(process.env.DAGGER_SESSION_PORT).toBe('before');
      expect(process.env.DAGGER_SESSION_TOKEN).toBeUndefined();
    } finally {
      delete process.env.DAGGER_SESSION_PORT;
    }
  });

  it('adds one loadXxxFromID per object type with an id to the real schema', () => {
    const schema = engineSchema();
    const query = schema.getQueryType()?.getFields() ?? {};
    const withId = Object.values(schema.getTypeMap()).filter(
      (t) => isObjectType(t) && t.name !== 'Query' && 'id' in t.getFields(),
    );
    expect(withId.length).toBeGreaterThan(50);
    for (const t of withId) expect(query[`load${t.name}FromID`]?.type.toString()).toBe(`${t.name}!`);
  });
});

describe('faults and latency', () => {
  it('answers 500 from the given request on', async () => {
    let err: unknown;
    const e = await withEngine({ fault: { kind: 'http500', afterRequests: 1 } }, async () => {
      await dag.version();
      err = await failure(dag.defaultPlatform());
    });
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect(e.requests.map((r) => r.status)).toEqual([200, 500]);
  });

  it('drops the connection', async () => {
    let err: unknown;
    await withEngine({ fault: { kind: 'drop' } }, async () => {
      err = await failure(dag.version());
    });
    expect(err).toBeInstanceOf(UnknownDaggerError);
  });

  it('delays slow requests and adds per-request latency', async () => {
    const e = await withEngine({ latencyMs: 30, fault: { kind: 'slow', delayMs: 120 } }, async () => {
      await dag.version();
    });
    const [r] = e.requests;
    expect((r?.end ?? 0) - (r?.start ?? 0)).toBeGreaterThanOrEqual(145);
  });

  it('runs a distinct exec once however many leaves force it, like the engine cache', async () => {
    const e = await withEngine({ exec: [{ argv: ['build'], delayMs: 50, stdout: 'ok' }] }, async () => {
      const built = dag.container().from('alpine').withExec(['build']);
      await Promise.all([built.stdout(), built.stderr(), built.exitCode()]);
    });
    expect(e.execs()).toHaveLength(1);
    expect(e.calls.map((c) => c.steps.at(-1)?.field).sort()).toEqual(['exitCode', 'stderr', 'stdout']);
  });
});

describe('scripted leaves', () => {
  it('publishes by a digest that depends on the container chain, not on the tag', async () => {
    const refs: string[] = [];
    await withEngine({}, async () => {
      const ctr = (cmd: string) => dag.container().from('alpine').withExec([cmd]);
      refs.push(await ctr('a').publish('registry.local:5000/app:1.0'));
      refs.push(await ctr('a').publish('registry.local:5000/app:2.0'));
      refs.push(await ctr('b').publish('registry.local:5000/app:1.0'));
    });
    expect(refs[0]).toMatch(/^registry\.local:5000\/app@sha256:[0-9a-f]{64}$/);
    expect(refs[1]?.split('@')[1]).toBe(refs[0]?.split('@')[1]); // same image, new tag
    expect(refs[2]?.split('@')[1]).not.toBe(refs[0]?.split('@')[1]);
  });

  it('takes files from a lookup function and withNewFile', async () => {
    const seen: string[] = [];
    const files = (chain: { field: string; args: Record<string, unknown> }[]) =>
      chain.at(-1)?.args.path === 'report.json' ? '{"ok":true}' : undefined;
    await withEngine({ files }, async () => {
      const ctr = dag.container().from('alpine').withNewFile('/a.txt', 'A');
      seen.push(await ctr.file('report.json').contents(), await ctr.file('/a.txt').contents());
      seen.push(String(await ctr.file('report.json').size()));
    });
    expect(seen).toEqual(['{"ok":true}', 'A', '11']);
  });

  it('describes the container state of each exec: caches, mounts, secrets, workdir', async () => {
    const e = await withEngine({}, async () => {
      await dag
        .container()
        .from('node:20')
        .withMountedCache('/root/.npm', dag.cacheVolume('npm-lock-abc'))
        .withMountedDirectory('/src', dag.git('https://example.com/r.git').head().tree())
        .withMountedSecret('/run/key', dag.setSecret('cosign-key', 'k'))
        .withWorkdir('/src')
        .withExec(['npm', 'ci'])
        .sync();
    });
    expect(e.execs()).toMatchObject([
      {
        argv: ['npm', 'ci'],
        image: 'node:20',
        caches: [{ path: '/root/.npm', key: 'npm-lock-abc' }],
        mounts: [
          {
            path: '/src',
            kind: 'directory',
            source: [{ field: 'git' }, { field: 'head' }, { field: 'tree' }],
          },
        ],
        secrets: [{ secret: 'cosign-key', as: 'file', target: '/run/key' }],
        workdir: '/src',
      },
    ]);
  });

  it('refuses an ID of another type in loadXxxFromID', async () => {
    let err: unknown;
    await withEngine({}, async () => {
      const id = await dag.container().id();
      err = await failure(dag.loadDirectoryFromID(id as never).entries());
    });
    expect(String(err)).toMatch(/loadDirectoryFromID: ID is a Container, not a Directory/);
  });

  it('gives services a hostname and endpoint and lets them start', async () => {
    let endpoint = '';
    await withEngine({}, async () => {
      const svc = dag.container().from('nginx').withExposedPort(80).asService();
      await svc.start();
      endpoint = await svc.endpoint({ port: 80, scheme: 'http' });
      await svc.stop();
    });
    expect(endpoint).toMatch(/^http:\/\/svc-[0-9a-f]{12}:80$/);
  });
});
