/**
 * What a new user does (issue 13, "Done when"): pack the tarball, install it into a fresh repository with a
 * Python and a Node service, then `gantry init`, `validate`, `plan` and a full run against the wire-test
 * engine, with no hand edits to what init wrote.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { laptopEnv } from '../support/ci-systems.ts';
import { startTestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: ${name}
          ports: [{ containerPort: 8080 }]
`;

/** A repository with a Python API and a Node web service, each with a Dockerfile and overlays. */
function service(name: string, files: Record<string, string>): Record<string, string> {
  const tree: Record<string, string> = {
    [`services/${name}/k8s/base/kustomization.yaml`]: 'resources: [deployment.yaml]\n',
    [`services/${name}/k8s/base/deployment.yaml`]: deployment(name),
  };
  for (const env of ['staging', 'production'])
    tree[`services/${name}/k8s/overlays/${env}/kustomization.yaml`] = 'resources: [../../base]\n';
  for (const [path, text] of Object.entries(files)) tree[`services/${name}/${path}`] = text;
  return tree;
}

const repository: Record<string, string> = {
  '.gitignore': 'node_modules/\nout/\n',
  ...service('api', {
    Dockerfile:
      'FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD ["python", "/app/app.py"]\n',
    'requirements.txt': 'pytest==8.3.3\n',
    'app.py': 'print("api")\n',
    'test_app.py': 'def test_ok():\n    assert True\n',
  }),
  ...service('web', {
    Dockerfile: 'FROM node:22-alpine\nCOPY . /app\nCMD ["node", "/app/index.js"]\n',
    'package.json': '{"name":"web","private":true,"scripts":{"test":"node --test"}}\n',
    'package-lock.json':
      '{"name":"web","lockfileVersion":3,"requires":true,"packages":{"":{"name":"web"}}}\n',
    'index.js': 'console.log("web")\n',
  }),
};

let project = '';
const gantry = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  exec(join(project, 'node_modules', '.bin', 'gantry'), args, { cwd: project, env, maxBuffer: 64 << 20 });

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'gantry-adopt-'));
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  project = join(work, 'shop');
  for (const [path, text] of Object.entries(repository)) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'shop', private: true, type: 'module' }),
  );
  // As the README says: a dev dependency from a release tarball (never `npx gantry@…`).
  await exec(
    'npm',
    [
      'install',
      '--save-dev',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(work, info?.filename ?? ''),
    ],
    { cwd: project, maxBuffer: 64 << 20 },
  );
  const git = (...args: string[]) => exec('git', args, { cwd: project });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'initial');
}, 600_000);

describe('adopting gantry in a fresh repository', () => {
  it('init writes gantry.yaml and pipeline/main.ts for the Python and the Node service', async () => {
    const { stdout } = await gantry(['init']);
    expect(stdout).toContain('components (2):');
    const yaml = await readFile(join(project, 'gantry.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/gantry/gantry.schema.json',
    );
    expect(yaml).toContain('toolchain: python');
    expect(yaml).toContain('toolchain: node');
    expect(await readFile(join(project, 'pipeline/main.ts'), 'utf8')).toContain("from 'gantry'");
    // The schema line points at a file the installed package has.
    await readFile(join(project, 'node_modules/gantry/gantry.schema.json'), 'utf8');
    // A second init refuses to overwrite.
    await expect(gantry(['init'])).rejects.toMatchObject({ code: 2 });
  }, 120_000);

  it('validate passes the config and its conventions; plan shows the components and their commands', async () => {
    const validate = await gantry(['validate']);
    expect(validate.stdout).toContain('gantry.yaml is valid: 2 component(s) (api, web)');
    const { stdout } = await gantry(['plan', '--format', 'json']);
    const plan = JSON.parse(stdout);
    expect(plan.details.deps.components.map((c: { name: string }) => c.name)).toEqual(['api', 'web']);
    expect(plan.details.deps.components[0].commands).toEqual([['pip', 'install', '-r', 'requirements.txt']]);
    expect(plan.details.test.components[1].commands).toEqual([['npm', 'test']]);
    expect(plan.details['deploy-staging'].environment).toMatchObject({
      driver: 'kubernetes',
      approval: false,
    });
    expect(plan.details['approve-production'].environment.approval).toBe(true);
    const text = await gantry(['plan']);
    expect(text.stdout).toContain('- api (services/api)');
    expect(text.stdout).toContain('- web (services/web)');
  }, 120_000);

  it('runs the whole pipeline (pipeline/main.ts, as written by init) against the wire-test engine', async () => {
    const engine = await startTestEngine(
      fullPipelineScenario({
        files: {
          '/src/reports/junit.xml':
            '<?xml version="1.0"?><testsuites><testsuite name="s" tests="1"><testcase name="a"/></testsuite></testsuites>',
        },
      }),
    );
    try {
      const { stdout, stderr } = await exec(
        join(project, 'node_modules', '.bin', 'tsx'),
        ['pipeline/main.ts', '--yes'],
        // A new user on a laptop (--yes is refused on CI, and the suite itself may run on CI).
        { cwd: project, env: { ...laptopEnv(), ...engine.env }, maxBuffer: 64 << 20 },
      ).catch((e: { stdout: string; stderr: string; code: number }) => {
        throw new Error(`exit ${e.code}\n${e.stdout}\n${e.stderr}`);
      });
      expect(`${stdout}${stderr}`).toContain('run passed');
      expect(engine.requests.filter((r) => !r.valid)).toEqual([]);
      const argv = engine.execs().map((e) => e.argv.join(' '));
      expect(argv).toEqual(
        expect.arrayContaining([
          'pip install -r requirements.txt',
          'npm ci --no-audit --no-fund',
          'npm test',
        ]),
      );
      const manifest = JSON.parse(await readFile(join(project, 'out/manifest.json'), 'utf8'));
      expect(Object.keys(manifest.components).sort()).toEqual(['api', 'web']);
      expect(
        manifest.deployments.map((d: { environment: string; result: string }) => [d.environment, d.result]),
      ).toEqual([
        ['staging', 'deployed'],
        ['production', 'deployed'],
      ]);
    } finally {
      await engine.close();
    }
  }, 600_000);
});
