/**
 * Issue 11 attacks on Gantry's inputs, each refused with its exit code, and the engine not asked to run,
 * publish or deploy anything past the refusal: path escapes, credential URLs, crafted scanner reports,
 * `--yes` on CI systems without `CI`, concurrent runs, `gantry.env` injection, alias bombs, stray arguments,
 * and a manifest edited outside Gantry.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CI_SYSTEMS } from '../support/ci-systems.ts';
import type { TestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { BASE_CONFIG, ROOT, type Workspace, withEngine, workspace } from './support.ts';

const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((w) => w.cleanup()));
});
async function fresh(config: object = BASE_CONFIG): Promise<Workspace> {
  const w = await workspace(config);
  workspaces.push(w);
  return w;
}

const SHARED = join(ROOT, '../shared/fixtures');
const published = (engine: TestEngine) => engine.calls.some((c) => c.steps.at(-1)?.field === 'publish');
const applied = (engine: TestEngine) =>
  engine.execs().filter((e) => e.argv[0] === 'kubectl' || e.argv[0] === 'helm' || e.argv[0] === 'git');

describe('inputs that reach outside the repository or carry credentials → exit 2, nothing run', () => {
  const component = BASE_CONFIG.components[0] as object;
  it.each([
    ['components[0].path', { components: [{ ...component, path: '../../../../etc' }] }],
    ['components[0].dockerfile', { components: [{ ...component, dockerfile: '../../../../etc/passwd' }] }],
    ['policy', { policy: '/etc/passwd' }],
    [
      'environments[1].kustomize',
      { environments: { ...BASE_CONFIG.environments, production: { kustomize: '../../../../../tmp' } } },
    ],
    [
      'environments[0].url',
      { environments: { ...BASE_CONFIG.environments, staging: { url: 'https://admin:PW@app.example.com' } } },
    ],
    [
      'environments[0].gitops.repository',
      {
        environments: {
          staging: {
            driver: 'gitops',
            gitops: {
              repository: 'https://:TOKEN@git.example.com/o/r.git',
              file: 'a.yaml',
              token: 'env://T',
            },
          },
        },
      },
    ],
  ])(
    '%s',
    async (field, change) => {
      const w = await fresh({ ...BASE_CONFIG, ...change });
      await withEngine(fullPipelineScenario(), async (engine) => {
        const result = await w.run(engine, ['--yes']);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(field);
        expect(result.stderr).not.toMatch(/TOKEN@|:PW@/);
        expect(engine.execs()).toEqual([]);
        expect(engine.calls).toEqual([]);
      });
    },
    30_000,
  );

  it('a YAML alias bomb in gantry.yaml → CONFIG_SYNTAX, exit 2', async () => {
    const w = await fresh();
    const levels = ['a0: &a0 [x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    await writeFile(w.config, `${levels.join('\n')}\nversion: 1\nname: *a8\n`);
    await withEngine(fullPipelineScenario(), async (engine) => {
      const result = await w.run(engine, ['--yes']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error[CONFIG_SYNTAX]');
      expect(engine.calls).toEqual([]);
    });
  }, 30_000);

  it('a stray word (gantry run promote) → exit 2, no stage runs', async () => {
    const w = await fresh();
    await withEngine(fullPipelineScenario(), async (engine) => {
      const result = await w.run(engine, ['promote']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unexpected argument "promote"');
      expect(engine.calls).toEqual([]);
    });
  }, 30_000);
});

describe('crafted scanner reports → exit 3, nothing built or published', () => {
  const vuln = (over: object) => ({
    VulnerabilityID: 'CVE-2024-0001',
    PkgName: 'openssl',
    InstalledVersion: '1.0.0',
    FixedVersion: '1.0.1',
    Status: 'fixed',
    Severity: 'CRITICAL',
    ...over,
  });
  const trivy = (vulns: object[]) =>
    JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: '.',
      Results: [{ Target: 'package-lock.json', Vulnerabilities: vulns }],
    });
  const semgrep = (severities: string[]) =>
    JSON.stringify({
      version: '1.90.0',
      results: severities.map((severity) => ({
        check_id: 'rules.no-eval',
        path: 'src/app.ts',
        start: { line: 3, col: 1, offset: 0 },
        end: { line: 3, col: 9, offset: 8 },
        extra: { severity, message: 'eval', lines: 'eval(x)' },
      })),
      errors: [],
      paths: { scanned: ['src/app.ts'] },
    });
  it.each([
    [
      'LOW then CRITICAL, same CVE/package/target',
      { trivyFs: trivy([vuln({ Severity: 'LOW' }), vuln({})]) },
      /CVE-2024-0001/,
    ],
    [
      'will_not_fix then fixed',
      { trivyFs: trivy([vuln({ Status: 'will_not_fix', FixedVersion: '' }), vuln({})]) },
      /fix available/,
    ],
    ['Semgrep INFO then ERROR on one line', { semgrep: semgrep(['INFO', 'ERROR']) }, /rules\.no-eval/],
    ['severity "CRIT"', { trivyFs: trivy([vuln({ Severity: 'CRIT' })]) }, /"CRIT"/],
    ['severity null', { trivyFs: trivy([vuln({ Severity: null })]) }, /severity null/],
    ['Semgrep severity "BLOCKER"', { semgrep: semgrep(['BLOCKER']) }, /"BLOCKER"/],
    [
      'duplicate "Results" keys',
      { trivyFs: trivy([vuln({})]).replace('"Results":', '"Results":[],"Results":') },
      /"Results" appears twice/,
    ],
    [
      'a Semgrep body with "SchemaVersion":2 as the Trivy report',
      { trivyFs: JSON.stringify({ SchemaVersion: 2, results: [], errors: [] }) },
      /keys of both/,
    ],
    [
      'a Semgrep timeout (a file never scanned)',
      {
        semgrep: JSON.stringify({
          results: [],
          errors: [{ level: 'warn', type: 'Timeout', message: 'timed out', path: 'src/big.ts' }],
        }),
      },
      /Timeout \(src\/big\.ts\)/,
    ],
  ])(
    '%s',
    async (_, options, why) => {
      const w = await fresh();
      await withEngine(fullPipelineScenario(options), async (engine) => {
        const result = await w.run(engine, ['--yes']);
        // A report the gate refuses is exit 3 when read as the gate's input; a scanner stdout that is not a
        // valid report is a failed scan (exit 1). Either way nothing passes the gate.
        expect([1, 3], result.stderr).toContain(result.code);
        expect(result.stderr).toMatch(why);
        expect(published(engine)).toBe(false);
        expect(applied(engine)).toEqual([]);
      });
    },
    60_000,
  );

  it('a real report with a suppression passes by default and blocks under allowRepositorySuppressions: false', async () => {
    const vex = await readFile(join(SHARED, 'trivy/fs-npm-package-lock-vex.json'), 'utf8');
    // Only its suppressed findings: the CVE findings themselves are dropped, the ExperimentalModifiedFindings kept.
    const report = JSON.parse(vex);
    for (const r of report.Results) r.Vulnerabilities = [];
    const policy = (await readFile(join(ROOT, 'policies/default.yaml'), 'utf8')).replace(
      'allowRepositorySuppressions: true',
      'allowRepositorySuppressions: false',
    );
    const { mkdir, mkdtemp, rm } = await import('node:fs/promises');
    await mkdir(join(ROOT, 'out'), { recursive: true });
    const dir = await mkdtemp(join(ROOT, 'out', 'policy-'));
    try {
      await writeFile(join(dir, 'policy.yaml'), policy);
      const w = await fresh({ ...BASE_CONFIG, policy: join(dir, 'policy.yaml') });
      await withEngine(fullPipelineScenario({ trivyFs: JSON.stringify(report) }), async (engine) => {
        const result = await w.run(engine, ['--yes']);
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toContain('repository suppressions refused by the policy');
        expect(published(engine)).toBe(false);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('runs and manifests', () => {
  it('--yes on CI systems that do not set CI (Azure TF_BUILD, CodeBuild, TeamCity) → exit 4, no production deploy', async () => {
    const w = await fresh();
    await withEngine(fullPipelineScenario(), async (engine) => {
      const result = await w.run(engine, ['--until', 'deploy-staging', '--yes']);
      expect(result.code, result.stderr).toBe(0);
    });
    const systems = CI_SYSTEMS.filter((s) =>
      ['AZURE_PIPELINES', 'CODEBUILD', 'TEAMCITY'].includes(s.constant),
    );
    expect(systems).toHaveLength(3);
    for (const { name, env } of systems) {
      expect('CI' in env, name).toBe(false);
      await withEngine(fullPipelineScenario(), async (engine) => {
        const result = await w.run(engine, ['--from', 'approve-production', '--yes'], env);
        expect(result.code, `${name}: ${result.stderr}`).toBe(4);
        expect(result.stderr).toContain('--yes (self-approval) is refused on CI');
        expect(applied(engine).filter((e) => e.argv[1] === 'apply')).toEqual([]);
      });
      expect((await w.readManifest()).approvals, name).toEqual([]);
    }
  }, 120_000);

  it('two concurrent runs on one out/ → the second exits 2 at once naming the holder; one deploys', async () => {
    const w = await fresh();
    await withEngine(fullPipelineScenario({ execDelayMs: 50 }), async (engine) => {
      const [a, b] = await Promise.all([w.run(engine, ['--yes']), w.run(engine, ['--yes'])]);
      const refused = [a, b].filter((r) => r.code === 2);
      expect(refused, `${a.stderr}\n${b.stderr}`).toHaveLength(1);
      expect(refused[0]?.stderr).toMatch(/RUN_LOCKED.*process \d+/);
      expect([a, b].filter((r) => r.code === 0)).toHaveLength(1);
    });
    const manifest = await w.readManifest();
    expect(manifest.deployments.filter((d) => d.environment === 'production')).toHaveLength(1);
  }, 120_000);

  it('a newline in the manifest runId (gantry.env injection) → exit 2, gantry.env not written, nothing deployed', async () => {
    const w = await fresh();
    await withEngine(fullPipelineScenario(), async (engine) => {
      expect((await w.run(engine, ['--until', 'sign', '--yes'])).code).toBe(0);
    });
    const envFile = join(w.dir, 'out', 'gantry.env');
    const before = await readFile(envFile, 'utf8');
    await w.editManifest((m) => {
      m.runId = `${m.runId}\nDEPLOY_TOKEN=attacker`;
    });
    await withEngine(fullPipelineScenario(), async (engine) => {
      const result = await w.run(engine, ['--from', 'deploy-staging', '--yes']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/runId|run id/);
      expect(engine.calls).toEqual([]);
    });
    expect(await readFile(envFile, 'utf8')).toBe(before);
  }, 90_000);

  it('a manifest whose digest was swapped outside Gantry → MANIFEST_CHANGED (exit 4) before any stage runs', async () => {
    const w = await fresh();
    await withEngine(fullPipelineScenario(), async (engine) => {
      expect((await w.run(engine, ['--until', 'sign', '--yes'])).code).toBe(0);
    });
    await w.editManifest((m) => {
      const image = m.components['hello-api']?.image;
      if (!image) throw new Error('no image');
      image.digest = `sha256:${'e'.repeat(64)}`;
      image.ref = `docker.io/attacker/backdoor@${image.digest}`;
    });
    await withEngine(fullPipelineScenario(), async (engine) => {
      const result = await w.run(engine, ['--from', 'deploy-staging', '--yes']);
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain('error[MANIFEST_CHANGED]');
      expect(engine.calls).toEqual([]);
    });
  }, 90_000);
});
