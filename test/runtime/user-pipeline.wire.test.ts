/**
 * A team's own pipeline (issue 10): added, replaced, removed and `always` stages, run through the CLI over the
 * definition against the wire-test engine. Each test checks what the engine was asked to do (execs, secrets,
 * build args, publishes), the order, the selection, the outputs in the manifest and the summary.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pipeline as customBuild } from '../../examples/pipelines/custom-build.ts';
import { pipeline as lintCoverage } from '../../examples/pipelines/lint-coverage.ts';
import { pipeline as migration } from '../../examples/pipelines/migration.ts';
import { pipeline as notifying } from '../../examples/pipelines/notify.ts';
import { FLYCTL, pipeline as paas } from '../../examples/pipelines/paas-driver.ts';
import { defineStage, type PipelineDefinition } from '../../src/runtime/define.ts';
import { standardStages } from '../../src/stages/standard.ts';
import { runCli } from '../support/cli.ts';
import type { ExecRule, TestEngine } from '../support/engine/index.ts';
import { startTestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';

const root = join(import.meta.dirname, '../..');
let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const COVERAGE = (pct: number) => JSON.stringify({ total: { lines: { pct } } });

async function run(
  definition: PipelineDefinition,
  args: string[],
  options: {
    exec?: ExecRule[];
    files?: Record<string, string>;
    env?: Record<string, string>;
    config?: string;
  } = {},
) {
  engine = await startTestEngine(
    fullPipelineScenario({ exec: options.exec ?? [], files: options.files ?? {} }),
  );
  const out = await mkdtemp(join(tmpdir(), 'gantry-user-'));
  const manifest = join(out, 'manifest.json');
  const e = engine;
  const config = options.config ? ['--config', options.config] : [];
  const result = await e.run(() =>
    runCli(['run', ...args, ...config, '--manifest', manifest], {
      cwd: root,
      env: { ...e.env, ...options.env },
      definition,
    }),
  );
  const m = await readFile(manifest, 'utf8').then(JSON.parse, () => undefined);
  const summary = await readFile(join(out, 'summary.md'), 'utf8').catch(() => '');
  return { ...result, manifest: m, summary, execs: e.execs(), out };
}

/** The order in which stages started, from the progress lines. */
const started = (stderr: string) => [...stderr.matchAll(/▶ (\S+)/g)].map((m) => m[1]);
const argvs = (execs: { argv: string[] }[]) => execs.map((x) => x.argv.join(' '));

/** A gantry.yaml like the repository's, with a URL on staging. */
async function configWithStagingUrl(): Promise<string> {
  const text = (await readFile(join(root, 'gantry.yaml'), 'utf8')).replace(
    '  - name: staging\n',
    '  - name: staging\n    url: https://staging.example.com\n',
  );
  const file = join(await mkdtemp(join(tmpdir(), 'gantry-cfg-')), 'gantry.yaml');
  await writeFile(file, text);
  return file;
}

describe('a lint and coverage gate (examples/pipelines/lint-coverage.ts)', () => {
  it('runs lint and coverage after deps, build only after both, and keeps the coverage output', async () => {
    const r = await run(lintCoverage(80), ['--yes'], {
      files: { 'coverage/coverage-summary.json': COVERAGE(91.5) },
    });
    expect(r.code, r.stderr).toBe(0);
    const order = started(r.stderr);
    for (const gate of ['lint', 'coverage']) {
      expect(order.indexOf(gate)).toBeGreaterThan(order.indexOf('deps'));
      expect(order.indexOf('build')).toBeGreaterThan(order.indexOf(gate));
    }
    expect(argvs(r.execs)).toContain('npm run lint');
    expect(r.manifest.outputs.coverage).toEqual({ lines: { 'hello-api': 91.5 } });
    expect(r.manifest.stages.lint.status).toBe('passed');
    expect(r.summary).toMatch(/lint/);
    expect(r.summary).toMatch(/coverage/);
  });

  it('blocks the release when coverage is too low: exit 1, nothing built or published', async () => {
    const r = await run(lintCoverage(95), ['--yes'], {
      files: { 'coverage/coverage-summary.json': COVERAGE(60) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line coverage below 95%: hello-api 60%/);
    expect(r.manifest.stages.build.status).toBe('skipped');
    expect(engine?.calls.some((c) => c.steps.some((s) => s.field === 'dockerBuild'))).toBe(false);
    expect(engine?.calls.some((c) => c.steps.some((s) => s.field === 'publish'))).toBe(false);
  });
});

describe('a migration and an integration test after staging (examples/pipelines/migration.ts)', () => {
  const migrated = {
    argv: (a: string[]) => a.join(' ') === 'node dist/migrate.js --json',
    stdout: '{"applied":[1,2,3]}',
  };

  it('migrates with the database URL as a secret, tests against the staging URL, then approves production', async () => {
    const r = await run(migration(), ['--yes'], {
      exec: [migrated],
      env: { STAGING_DATABASE_URL: 'postgres://u:pw-canary@db/app' },
      config: await configWithStagingUrl(),
    });
    expect(r.code, r.stderr).toBe(0);
    const order = started(r.stderr);
    expect(order.slice(order.indexOf('deploy-staging'))).toEqual([
      'deploy-staging',
      'migrate',
      'integration',
      'approve-production',
      'deploy-production',
    ]);
    const migrate = r.execs.find((x) => x.argv.includes('dist/migrate.js'));
    expect(migrate?.secrets.map((s) => s.target)).toContain('DATABASE_URL');
    expect(migrate?.image).toMatch(/hello-api@sha256:/);
    expect(engine?.leaks('pw-canary')).toEqual([]);
    expect(r.manifest.outputs.migrate).toEqual({ applied: 3 });
    const integration = r.execs.find((x) => x.argv.join(' ') === 'npm run test:integration');
    expect(integration?.env.BASE_URL).toBe('https://staging.example.com');
  });

  it('a failed migration stops the release: production is neither approved nor deployed', async () => {
    const r = await run(migration(), ['--yes'], {
      exec: [{ ...migrated, exitCode: 1, stderr: 'relation exists' }],
      env: { STAGING_DATABASE_URL: 'postgres://db/app' },
      config: await configWithStagingUrl(),
    });
    expect(r.code).toBe(1);
    expect(r.manifest.stages.migrate.status).toBe('failed');
    expect(r.manifest.stages['approve-production'].status).toBe('skipped');
    expect(r.manifest.approvals).toEqual([]);
    expect(r.manifest.deployments.map((d: { environment: string }) => d.environment)).toEqual(['staging']);
  });
});

describe('an always stage (examples/pipelines/notify.ts)', () => {
  it('runs after a failure, sees the outcome, and the run keeps the failure exit code', async () => {
    const r = await run(notifying(), ['--yes'], {
      exec: [{ argv: (a) => a[0] === 'npm' && a[1] === 'test', exitCode: 1, stdout: 'boom' }],
    });
    expect(r.code).toBe(1);
    expect(r.manifest.stages.notify.status).toBe('passed');
    const post = r.execs.find((x) => x.argv[0] === 'sh' && (x.argv[2] ?? '').includes('SLACK_WEBHOOK_URL'));
    expect(post?.secrets.map((s) => s.target)).toEqual(['SLACK_WEBHOOK_URL']);
    expect(r.manifest.stages.notify.message).toMatch(/gantry-example: failed \(test\)/);
    expect(started(r.stderr).at(-1)).toBe('notify');
  });

  it('a failing always stage is reported but does not change a passing run to a failure', async () => {
    const r = await run(notifying(), ['--yes'], {
      exec: [{ argv: (a) => a[0] === 'sh' && (a[2] ?? '').includes('SLACK_WEBHOOK_URL'), exitCode: 6 }],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.manifest.stages.notify.status).toBe('failed');
    expect(r.manifest.stages['deploy-production'].status).toBe('passed');
  });
});

describe('a replaced build (examples/pipelines/custom-build.ts)', () => {
  it('builds with the build args, and sign and the deploys take its output unchanged', async () => {
    const r = await run(customBuild(), ['--yes']);
    expect(r.code, r.stderr).toBe(0);
    const build = engine?.calls.find((c) => c.steps.some((s) => s.field === 'dockerBuild'));
    const args = build?.steps.find((s) => s.field === 'dockerBuild')?.args.buildArgs;
    expect(args).toEqual(expect.arrayContaining([{ name: 'NODE_ENV', value: 'production' }]));
    const ref = r.manifest.outputs.build.images['hello-api'].ref;
    expect(r.manifest.components['hello-api'].image.ref).toBe(ref);
    expect(r.manifest.components['hello-api'].signature.ref).toContain(ref.split('@')[1].replace(':', '-'));
    expect(
      r.manifest.deployments.map((d: { digests: Record<string, string> }) => d.digests['hello-api']),
    ).toEqual([ref, ref]);
  });

  it('a replacement whose output breaks the build contract fails, and sign does not run', async () => {
    const bad = defineStage({
      name: 'build',
      phase: 'release',
      needs: ['test', 'scan'],
      run: async () => ({ output: { images: { 'hello-api': { ref: 'hello-api:latest' } } } }),
    });
    const r = await run({ stages: standardStages({ replace: { build: bad } }) }, ['--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/breaks its schema/);
    expect(r.manifest.stages.sign.status).toBe('skipped');
  });
});

describe('a deploy driver of your own (examples/pipelines/paas-driver.ts)', () => {
  async function flyConfig(): Promise<string> {
    const text = (await readFile(join(root, 'gantry.yaml'), 'utf8')).replace(
      / {2}- name: staging\n {4}driver: kubernetes\n/,
      '  - name: staging\n    driver: fly\n',
    );
    const file = join(await mkdtemp(join(tmpdir(), 'gantry-cfg-')), 'gantry.yaml');
    await writeFile(file, text);
    return file;
  }

  it('deploys the signed digest with the PaaS CLI, its token only as a secret, after the usual checks', async () => {
    const r = await run(paas(), ['--until', 'deploy-staging'], {
      config: await flyConfig(),
      env: { FLY_API_TOKEN: 'fly-canary' },
    });
    expect(r.code, r.stderr).toBe(0);
    const ref = r.manifest.components['hello-api'].image.ref;
    const fly = r.execs.filter((x) => x.image === FLYCTL);
    expect(fly.map((x) => x.argv)).toEqual([
      ['flyctl', 'deploy', '--app', 'hello-api', '--image', ref, '--now'],
    ]);
    expect(fly[0]?.secrets).toEqual([expect.objectContaining({ target: 'FLY_API_TOKEN', as: 'env' })]);
    expect(r.execs.some((x) => x.argv[0] === 'cosign' && x.argv[1] === 'verify')).toBe(true);
    expect(r.execs.some((x) => x.argv.includes('kubectl') || x.argv.includes('apply'))).toBe(false);
    expect(r.manifest.deployments[0]).toMatchObject({
      environment: 'staging',
      driver: 'fly',
      target: 'fly:hello-api',
    });
    expect(engine?.leaks('fly-canary')).toEqual([]);
  });

  it('an environment naming a driver nobody registered exits 2 before any engine starts', async () => {
    const r = await runCli(['plan', '--config', await flyConfig()], {
      cwd: root,
      definition: { stages: standardStages() },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no deploy driver named "fly"/);
  });
});

describe('removed stages, outputs and retries', () => {
  it('omit: the tests do not run, and build needs what test needed', async () => {
    const r = await run({ stages: standardStages({ omit: ['test'] }) }, ['--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.manifest.stages.test).toBeUndefined();
    expect(argvs(r.execs)).not.toContain('npm test');
    expect(started(r.stderr)).not.toContain('test');
  });

  it("a stage cannot overwrite another stage's output", async () => {
    const forger = defineStage({
      name: 'forger',
      phase: 'verify',
      needs: ['checkout'],
      run: async (ctx) => {
        await ctx.manifest.update((m) => {
          m.outputs.checkout = { commit: 'f'.repeat(40), ref: 'main', dirty: false };
        });
        return {};
      },
    });
    const r = await run({ stages: [...standardStages(), forger] }, ['--until', 'forger']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/OUTPUT_OVERWRITE|cannot be changed/);
    expect(r.manifest.outputs.checkout.commit).not.toBe('f'.repeat(40));
  });

  it('retries a failing stage and validates its output', async () => {
    let calls = 0;
    const flaky = defineStage({
      name: 'flaky',
      phase: 'verify',
      needs: [],
      retries: 2,
      output: z.object({ attempts: z.number() }),
      run: async () => {
        calls += 1;
        if (calls < 2) throw new Error('network blip');
        return { output: { attempts: calls } };
      },
    });
    const r = await run({ stages: [...standardStages(), flaky] }, ['--only', 'flaky']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.manifest.outputs.flaky).toEqual({ attempts: 2 });
    expect(r.stderr).toMatch(/retry 1 of 2/);
  });
});

describe('plan and selection over a user pipeline (no engine)', () => {
  const plan = (definition: PipelineDefinition, args: string[]) =>
    runCli(['plan', ...args], { cwd: root, definition });

  it('plan shows custom stages and phases; --from S selects S and what depends on it', async () => {
    const text = await plan(migration(), ['--from', 'migrate']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/4 of 11 stages selected/);
    expect(text.stdout).toMatch(/migrate\s+release\s+needs: deploy-staging/);
    expect(text.stdout).toMatch(/integration\s+integration\s+needs: migrate/);
    const json = JSON.parse((await plan(migration(), ['--format', 'json'])).stdout);
    expect(json.phases).toEqual(['verify', 'release', 'integration', 'approve', 'promote']);
  });

  it.each([
    [
      'a cycle',
      {
        stages: [
          ...standardStages(),
          defineStage({ name: 'a', phase: 'verify', needs: ['a'], run: async () => ({}) }),
        ],
      },
      /needs itself/,
    ],
    [
      'a duplicate name',
      {
        stages: [
          ...standardStages(),
          defineStage({ name: 'build', phase: 'release', needs: [], run: async () => ({}) }),
        ],
      },
      /two stages are named "build"/,
    ],
    [
      'an unknown need',
      {
        stages: [
          ...standardStages(),
          defineStage({ name: 'x', phase: 'verify', needs: ['lint'], run: async () => ({}) }),
        ],
      },
      /needs "lint"/,
    ],
    [
      'a phase order against the needs',
      {
        stages: [
          ...standardStages(),
          defineStage({ name: 'x', phase: 'verify', needs: ['sign'], run: async () => ({}) }),
        ],
      },
      /later phase release/,
    ],
    ['a deploy without a scan', { stages: standardStages({ omit: ['scan'] }) }, /without a scan stage/],
  ])('refuses %s with exit 2 before any engine starts', async (_what, definition, message) => {
    const r = await runCli(['run', '--yes'], { cwd: root, definition, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/engine/i);
  });

  it('allowUnscanned: true is accepted and shown in plan', async () => {
    const r = await plan({ stages: standardStages({ omit: ['scan'] }), allowUnscanned: true }, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deploys without a scan stage \(allowUnscanned: true\)/);
  });

  it('--phase of a phase no stage has exits 2', async () => {
    const r = await plan(migration(), ['--phase', 'qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no stage is in phase "qa"/);
  });
});
