/**
 * Which Semgrep rule files the scan stage hands to `semgrep scan`: the built-in sets for the components'
 * toolchains by default, or what `scan.semgrep` of gantry.yaml names. Each rule file is mounted on its own
 * and passed with its own `--config`, which is how Semgrep takes several rule files ("use --config before
 * every YAML, URL, or Semgrep registry entry name", semgrep `--config` help, src/osemgrep/cli_scan/Scan_CLI.ml).
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, PolicyError } from '../../src/core/errors.ts';
import { scanStage } from '../../src/stages/scan.ts';
import type { ExecRecord, Step } from '../support/engine/index.ts';
import { REPO_ROOT, runStage, stageContext, type TempRepo, tempRepo } from './support.ts';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const POLICY = join(REPO_ROOT, 'policies/default.yaml');
const EMPTY_TRIVY = '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem"}';
const files = (steps: Step[]) => {
  const path = [...steps].reverse().find((s) => s.field === 'file')?.args.path;
  if (path === '/out/trivy.json') return EMPTY_TRIVY;
  if (path === '/out/semgrep.json') return '{"results":[],"errors":[]}';
  return undefined;
};

/** Each `--config` value of a semgrep exec, with the host file mounted there (if it is a mounted file). */
function ruleConfigs(exec: ExecRecord) {
  const configs = exec.argv.flatMap((arg, i) => (exec.argv[i - 1] === '--config' ? [arg] : []));
  return configs.map((config) => {
    const mount = exec.mounts.find((m) => m.path === config);
    const host = mount?.source?.find((s) => s.field === 'file');
    return { config, kind: mount?.kind, host: host === undefined ? undefined : String(host.args.path) };
  });
}

const semgrepExecs = (execs: ExecRecord[]) => execs.filter((e) => e.argv[0] === 'semgrep');

describe('scan stage: Semgrep rule files (wire)', () => {
  it('gives a python + go repository the generic, dockerfile, python and go rule sets, from the package, offline', async () => {
    repo = await tempRepo();
    await Promise.all(['api', 'worker'].map((dir) => mkdir(join(repo?.root ?? '', dir))));
    const ctx = stageContext(repo, {
      components: [
        { name: 'api', path: 'api', toolchain: 'python' },
        { name: 'worker', path: 'worker', toolchain: 'go' },
      ],
      policy: POLICY,
    });
    const { engine, error } = await runStage(scanStage, ctx, { files });
    expect(error).toBeUndefined();
    const execs = semgrepExecs(engine.execs());
    expect(execs).toHaveLength(2);
    for (const exec of execs) {
      expect(ruleConfigs(exec)).toEqual(
        ['generic', 'dockerfile', 'python', 'go'].map((set) => ({
          config: `/rules/builtin/${set}.yaml`,
          kind: 'file',
          host: join(REPO_ROOT, 'policies/semgrep', `${set}.yaml`),
        })),
      );
      // Findings keep the ids written in the rule files (gantry.python.…), not `rules.builtin.gantry.python.…`.
      expect(exec.argv).toContain('--no-rewrite-rule-ids');
      // No registry pack, so nothing is fetched from semgrep.dev; metrics stay off.
      expect(exec.argv).toContain('--metrics=off');
      expect(exec.argv.some((a) => /^(p|r)\/|^auto$|^https?:/.test(a))).toBe(false);
    }
  });

  it('runs what gantry.yaml names: a built-in set, a repository rule file and an opt-in registry pack', async () => {
    repo = await tempRepo();
    await mkdir(join(repo.root, 'semgrep'));
    await writeFile(join(repo.root, 'semgrep/team.yaml'), 'rules: []\n');
    const ctx = stageContext(repo, {
      components: [{ name: 'api', toolchain: 'node' }],
      policy: POLICY,
      scan: { semgrep: { rules: ['builtin:java', './semgrep/team.yaml'], registry: ['p/ci'] } },
    });
    const { engine, error } = await runStage(scanStage, ctx, { files });
    expect(error).toBeUndefined();
    const [exec] = semgrepExecs(engine.execs());
    expect(exec && ruleConfigs(exec)).toEqual([
      {
        config: '/rules/builtin/java.yaml',
        kind: 'file',
        host: join(REPO_ROOT, 'policies/semgrep/java.yaml'),
      },
      { config: '/rules/repo/semgrep/team.yaml', kind: 'file', host: join(repo.root, 'semgrep/team.yaml') },
      { config: 'p/ci', kind: undefined, host: undefined },
    ]);
  });

  it('refuses (exit 2) a repository rule file that is a symlink out of the repository, before any scan', async () => {
    repo = await tempRepo();
    const outside = await tempRepo({ 'rules.yaml': 'rules: []\n' });
    try {
      await symlink(join(outside.root, 'rules.yaml'), join(repo.root, 'rules.yaml'));
      const ctx = stageContext(repo, {
        components: [{ name: 'api' }],
        policy: POLICY,
        scan: { semgrep: { rules: ['rules.yaml'] } },
      });
      const { engine, error } = await runStage(scanStage, ctx, { files });
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe('SEMGREP_RULES_OUTSIDE');
      expect((error as InputError).exitCode).toBe(2);
      expect(engine.execs()).toEqual([]);
    } finally {
      await outside.cleanup();
    }
  });

  it('refuses (exit 2) a repository rule file that does not exist, naming the field and the fix', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, {
      components: [{ name: 'api' }],
      policy: POLICY,
      scan: { semgrep: { rules: ['builtin:generic', 'semgrep/missing.yaml'] } },
    });
    const { engine, error } = await runStage(scanStage, ctx, { files });
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('SEMGREP_RULES_MISSING');
    expect((error as Error).message).toContain('scan.semgrep.rules');
    expect((error as InputError).hint).toContain('inside the repository');
    expect(engine.execs()).toEqual([]);
  });

  it('still gates on what the configured rules found', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, {
      components: [{ name: 'api', toolchain: 'python' }],
      policy: POLICY,
    });
    const finding = {
      check_id: 'gantry.python.pickle-deserialization',
      path: '/src/app.py',
      start: { line: 3, col: 1 },
      end: { line: 3, col: 20 },
      extra: { severity: 'ERROR', message: 'pickle', metadata: {}, lines: 'pickle.loads(blob)' },
    };
    const { error } = await runStage(scanStage, ctx, {
      files: (steps) =>
        files(steps) === '{"results":[],"errors":[]}'
          ? JSON.stringify({ results: [finding], errors: [] })
          : files(steps),
    });
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toContain('gantry.python.pickle-deserialization');
  });
});
