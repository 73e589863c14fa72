import { dag, ExecError, GraphQLRequestError, ReturnType } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import { engineSessions } from './session.ts';

const sessions = engineSessions();
const withEngine = sessions.run;

describe('wire-test engine with the real Dagger client', () => {
  it('answers a container chain with the scripted stdout and records the chain', async () => {
    let out = '';
    const e = await withEngine({ exec: [{ argv: ['echo', 'hi'], stdout: 'hi\n' }] }, async () => {
      out = await dag
        .container()
        .from('alpine:3.20')
        .withEnvVariable('A', '1')
        .withExec(['echo', 'hi'])
        .stdout();
    });
    expect(out).toBe('hi\n');
    expect(e.calls.at(-1)?.steps).toEqual([
      { field: 'container', args: {} },
      { field: 'from', args: { address: 'alpine:3.20' } },
      { field: 'withEnvVariable', args: { name: 'A', value: '1' } },
      { field: 'withExec', args: { args: ['echo', 'hi'] } },
      { field: 'stdout', args: {} },
    ]);
    expect(e.execs()).toMatchObject([{ argv: ['echo', 'hi'], image: 'alpine:3.20', env: { A: '1' } }]);
    expect(e.requests.every((r) => r.valid)).toBe(true);
  });

  it('makes the client throw ExecError with the scripted exit code and output', async () => {
    const scenario = { exec: [{ argv: /^npm test/, stdout: 'out', stderr: 'boom', exitCode: 3 }] };
    let caught: unknown;
    await withEngine(scenario, async () => {
      caught = await dag
        .container()
        .from('node:20')
        .withExec(['npm', 'test', '--ci'])
        .withExec(['echo', 'after'])
        .sync()
        .catch((err: unknown) => err);
    });
    expect(caught).toBeInstanceOf(ExecError);
    expect(caught).toMatchObject({
      cmd: ['npm', 'test', '--ci'],
      exitCode: 3,
      stdout: 'out',
      stderr: 'boom',
    });
  });

  it('lets withExec(expect: ANY) report a non-zero exit code instead of failing', async () => {
    let code = -1;
    await withEngine({ exec: [{ argv: ['false'], exitCode: 1 }] }, async () => {
      code = await dag.container().from('alpine').withExec(['false'], { expect: ReturnType.Any }).exitCode();
    });
    expect(code).toBe(1);
  });

  it('rejects an invalid document posted raw, with a GraphQL error and a record', async () => {
    const engine = await sessions.start();
    const { DAGGER_SESSION_PORT: port, DAGGER_SESSION_TOKEN: token } = engine.env;
    const res = await fetch(`http://127.0.0.1:${port}/query`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
      body: JSON.stringify({ query: '{ container { noSuchField } }' }),
    });
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(res.status).toBe(422);
    expect(body.errors[0]?.message).toMatch(/Cannot query field "noSuchField" on type "Container"/);
    expect(engine.requests).toMatchObject([{ valid: false, query: '{ container { noSuchField } }' }]);
  });

  it('makes the client throw for an invalid document sent through its low-level API', async () => {
    let caught: unknown;
    const e = await withEngine({}, async () => {
      caught = await dag
        .getGQLClient()
        .request('{ container { from(address: 42) { id } } }')
        .catch((err: unknown) => err);
      await dag.container().withExec(['true']).sync();
    });
    expect(caught).toMatchObject({ response: { status: 422 } });
    expect(String(caught)).toMatch(/String cannot represent a non string value: 42/);
    expect(e.requests.map((r) => r.valid)).toEqual([false, true]);
  });

  it('makes the typed API throw GraphQLRequestError for a field the engine schema lacks', async () => {
    let caught: unknown;
    const e = await withEngine({}, async () => {
      // 0.21.9 ships the Volume API; the 0.21.8 engine schema has no withMountedVolume.
      const volume = dag.cacheVolume('v').id();
      caught = await dag
        .container()
        .withMountedVolume('/v', (await volume) as never)
        .sync()
        .catch((err: unknown) => err);
    });
    expect(caught).toBeInstanceOf(GraphQLRequestError);
    expect(String(caught)).toMatch(/Cannot query field "withMountedVolume" on type "Container"/);
    expect(e.requests.at(-1)).toMatchObject({ valid: false, status: 422 });
  });

  it('resolves an object passed as argument and loadXxxFromID to the chain that made it', async () => {
    const e = await withEngine({ files: { 'src/app/package.json': '{"name":"app"}' } }, async () => {
      const src = dag.host().directory('src');
      await dag.container().from('node:20').withDirectory('/app', src).withExec(['ls']).sync();
      const loaded = dag.loadDirectoryFromID((await src.id()) as never);
      expect(await loaded.file('app/package.json').contents()).toBe('{"name":"app"}');
      expect(await loaded.entries()).toEqual(['app/']);
    });
    const srcChain = [
      { field: 'host', args: {} },
      { field: 'directory', args: { path: 'src' } },
    ];
    expect(e.execs()[0]?.copies).toEqual([{ path: '/app', source: srcChain }]);
    expect(e.calls.at(-1)?.steps).toEqual([...srcChain, { field: 'entries', args: {} }]);
    // The 0.21.9 client passes objects as ID literals; loadXxxFromID only when called explicitly.
    expect(e.documents().find((d) => d.includes('withDirectory'))).toMatch(/source: "gantry-test:/);
    expect(e.documents().some((d) => d.includes('loadDirectoryFromID'))).toBe(true);
  });

  it('restores a synced container through node(id:) for follow-up calls', async () => {
    let out = '';
    await withEngine({ exec: [{ argv: ['date'], stdout: 'today' }] }, async () => {
      const synced = await dag.container().from('alpine').withExec(['date']).sync();
      out = await synced.stdout();
    });
    expect(out).toBe('today');
  });

  it('sees concurrent queries overlapping', async () => {
    const scenario = { exec: [{ argv: /^sleep/, delayMs: 200 }] };
    const started = performance.now();
    const e = await withEngine(scenario, async () => {
      const ctr = dag.container().from('alpine');
      await Promise.all(['1', '2', '3'].map((n) => ctr.withExec(['sleep', n]).sync()));
    });
    expect(e.maxConcurrency()).toBe(3);
    expect(performance.now() - started).toBeLessThan(550);
  });

  it('records a secret by name and keeps its plaintext out of chains and execs', async () => {
    const plaintext = 's3cr3t-value';
    const e = await withEngine({}, async () => {
      const token = dag.setSecret('npm-token', plaintext);
      await dag
        .container()
        .from('node:20')
        .withSecretVariable('NPM_TOKEN', token)
        .withExec(['npm', 'publish'])
        .sync();
      expect(await token.plaintext()).toBe(plaintext);
    });
    expect(e.execs()[0]?.secrets).toEqual([{ secret: 'npm-token', as: 'env', target: 'NPM_TOKEN' }]);
    expect(e.leaks(plaintext)).toEqual([]);
    expect(e.leaks('npm-token')).not.toEqual([]);
    const leaking = e.documents().filter((d) => d.includes(plaintext));
    expect(leaking.length).toBeGreaterThan(0);
    expect(leaking.every((d) => /\bsetSecret\s*\(/.test(d))).toBe(true);
  });

  it('lets the global dag be used again in a later connection, against another engine', async () => {
    const first = await withEngine({ exec: [{ argv: ['id'], stdout: 'one' }] }, async () => {
      expect(await dag.container().withExec(['id']).stdout()).toBe('one');
    });
    await first.close();
    const second = await withEngine({ exec: [{ argv: ['id'], stdout: 'two' }] }, async () => {
      expect(await dag.container().withExec(['id']).stdout()).toBe('two');
    });
    expect(second.requests).toHaveLength(1);
    expect(() => dag.getGQLClient()).toThrow(/GraphQL client is not set/);
  });

  it('fails a leaf whose object depends on a failing exec through an ID argument', async () => {
    let caught: unknown;
    await withEngine({ exec: [{ argv: ['make'], exitCode: 2, stderr: 'no rule' }] }, async () => {
      const out = dag.container().from('gcc').withExec(['make']).directory('/out');
      caught = await dag
        .container()
        .from('alpine')
        .withDirectory('/in', out)
        .withExec(['ls', '/in'])
        .stdout()
        .catch((err: unknown) => err);
    });
    expect(caught).toBeInstanceOf(ExecError);
    expect(caught).toMatchObject({ cmd: ['make'], exitCode: 2, stderr: 'no rule' });
  });
});
