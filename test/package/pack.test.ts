import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from '../../src/core/images.ts';
import { startTestEngine } from '../support/engine/index.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** A three-stage pipeline another team writes against the packed library. */
const consumer = `import { connection } from '@dagger.io/dagger';
import { checkout, deps, resolveToolchain, test, type Toolchain } from 'gantry';

const component = { name: 'api', path: '.', toolchain: 'node' as const, dockerfile: 'Dockerfile', junit: 'junit.xml' };
const toolchain: Toolchain = await resolveToolchain(component, 'app', async (file) => file.endsWith('package-lock.json'));

await connection(async () => {
  const source = checkout('app');                       // stage 1: checkout
  const installed = deps(source, toolchain, { lockHash: 'abc' }); // stage 2: deps
  const result = await test(installed, toolchain.test); // stage 3: test
  console.log(\`tests exited \${result.exitCode}\`);
  if (result.exitCode !== 0) throw new Error(result.output);
});
`;

/** The team's pipeline/main.ts: the standard stages plus a stage of its own. */
const teamPipeline = `import { dag } from '@dagger.io/dagger';
import { defineStage, main, standardStages } from 'gantry';
import { z } from 'zod';

const hello = defineStage({
  name: 'hello',
  phase: 'verify',
  needs: ['checkout'],
  output: z.object({ greeting: z.string() }),
  run: async (ctx) => {
    const greeting = (await dag.container().from('alpine:3.20').withExec(['echo', 'hello']).stdout()).trim();
    return { message: greeting, output: { greeting } };
  },
});

await main({ stages: [...standardStages(), hello] });
`;

let project = '';
let tarball = '';

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'gantry-pack-'));
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, info?.filename ?? '');
  project = join(work, 'consumer');
  await mkdir(join(project, 'app'), { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      include: ['pipeline.ts'],
    }),
  );
  await writeFile(join(project, 'pipeline.ts'), consumer);
  await mkdir(join(project, 'pipeline'));
  await writeFile(join(project, 'pipeline', 'main.ts'), teamPipeline);
  await writeFile(
    join(project, 'gantry.yaml'),
    'version: 2\nname: consumer\ncomponents:\n  - name: app\n    path: app\n',
  );
  await exec('git', ['init', '-q'], { cwd: project });
  await exec(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'],
    {
      cwd: project,
    },
  );
  await writeFile(join(project, 'app', 'package.json'), '{"name":"app","scripts":{"test":"true"}}');
  // validate checks the conventions the build relies on: a component has a Dockerfile.
  await writeFile(join(project, 'app', 'Dockerfile'), 'FROM node:22-alpine\n');
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: project,
    maxBuffer: 64 << 20,
  });
}, 300_000);

describe('the packed package', () => {
  it('ships compiled JavaScript, type declarations, the bin and the policies, but no tests', async () => {
    const pkg = join(project, 'node_modules', 'gantry');
    const files = await readdir(pkg, { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'bin/gantry.js', 'policies/default.yaml']),
    );
    expect(files.some((f) => f.startsWith('test/'))).toBe(false);
    // The bin runs the repository's pipeline/main.ts: the team's own stage is in the plan.
    const { stdout } = await exec(
      join(project, 'node_modules', '.bin', 'gantry'),
      ['plan', '--format', 'json'],
      { cwd: project },
    );
    expect(JSON.parse(stdout).order).toEqual(['checkout', 'deps', 'test', 'scan', 'build', 'sign', 'hello']);
    // A repository without policies/ of its own validates against the shipped default policy.
    const validate = await exec(join(project, 'node_modules', '.bin', 'gantry'), ['validate'], {
      cwd: project,
    });
    expect(validate.stdout).toContain('gantry.yaml is valid');
    // The Semgrep rules the scan stage mounts resolve inside the installed package.
    const { stdout: rules } = await exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('./node_modules/gantry/dist/src/stages/scan.js'); console.log(m.SHIPPED_SEMGREP_RULES)",
      ],
      { cwd: project },
    );
    expect(rules.trim()).toBe(join(pkg, 'policies', 'semgrep'));
    expect(files).toEqual(expect.arrayContaining([expect.stringMatching(/^policies\/semgrep\/.+\.yaml$/)]));
    // gantry ci init writes, from the installed package, the lines that reference Gantry's component
    // pinned to this version; the package ships the integration it references (action, approval workflow,
    // component, library step).
    await exec(join(project, 'node_modules', '.bin', 'gantry'), ['ci', 'init', 'gitlab'], { cwd: project });
    const version = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version;
    expect(await readFile(join(project, '.gitlab-ci.yml'), 'utf8')).toContain(
      `- component: gitlab.com/gantry-ci/gantry/gantry@v${version}`,
    );
    for (const file of [
      'action.yml',
      '.github/workflows/gantry-approve.yml',
      'templates/gantry.yml',
      'vars/gantry.groovy',
    ]) {
      expect(await readFile(join(pkg, file), 'utf8')).toBe(await readFile(join(root, file), 'utf8'));
    }
  }, 180_000);

  it('type-checks a three-stage pipeline composed from its steps', async () => {
    await exec(join(root, 'node_modules', '.bin', 'tsc'), ['-p', project]);
    // The same check fails on a misuse of a step's type, so it is not vacuous.
    await writeFile(
      join(project, 'broken.ts'),
      "import { checkout } from 'gantry';\nexport const n: number = checkout('.');\n",
    );
    const tsconfig = JSON.parse(await readFile(join(project, 'tsconfig.json'), 'utf8'));
    await writeFile(
      join(project, 'tsconfig.broken.json'),
      JSON.stringify({ ...tsconfig, include: ['broken.ts'] }),
    );
    await expect(
      exec(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.broken.json')]),
    ).rejects.toMatchObject({
      stdout: expect.stringContaining("Type 'Directory' is not assignable to type 'number'"),
    });
  }, 180_000);

  it("runs the team's pipeline/main.ts, its own stage included, against the wire-test engine", async () => {
    const engine = await startTestEngine({ exec: [{ argv: ['echo', 'hello'], stdout: 'hello\n' }] });
    try {
      const { stderr } = await exec(
        join(project, 'node_modules', '.bin', 'gantry'),
        ['run', '--only', 'checkout,hello', '--manifest', 'out/manifest.json'],
        { cwd: project, env: { ...process.env, ...engine.env } },
      );
      expect(stderr).toMatch(/hello .*passed|✔ hello/);
      expect(engine.requests.every((r) => r.valid)).toBe(true);
      expect(engine.execs().map((e) => [e.image, e.argv.join(' ')])).toEqual([['alpine:3.20', 'echo hello']]);
      const manifest = JSON.parse(await readFile(join(project, 'out', 'manifest.json'), 'utf8'));
      expect(manifest.outputs.hello).toEqual({ greeting: 'hello' });
    } finally {
      await engine.close();
    }
  }, 180_000);

  it('runs that pipeline against the wire-test engine', async () => {
    const engine = await startTestEngine({ exec: [{ argv: ['npm', 'test'], stdout: 'ok\n' }] });
    try {
      const child = exec(join(project, 'node_modules', '.bin', 'tsx'), ['pipeline.ts'], {
        cwd: project,
        env: { ...process.env, ...engine.env },
      });
      const { stdout } = await child;
      expect(stdout).toContain('tests exited 0');
      expect(engine.requests.every((r) => r.valid)).toBe(true);
      const argv = engine.execs().map((e) => e.argv.join(' '));
      expect(argv).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm test']));
      expect(engine.execs().every((e) => e.image === IMAGES.node)).toBe(true);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
