import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyError, StageError } from '../../src/core/errors.ts';
import { IMAGES } from '../../src/core/images.ts';
import { scanStage } from '../../src/stages/scan.ts';
import type { Step } from '../support/engine/index.ts';
import { fixture, REPO_ROOT, runStage, stageContext, type TempRepo, tempRepo } from './support.ts';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const DEFAULT_POLICY = join(REPO_ROOT, 'policies/default.yaml');

/** Answers `file('/out/<name>')` of the scanner containers with the given texts. */
const reports = (trivy: string, semgrep: string) => (steps: Step[]) => {
  const path = [...steps].reverse().find((s) => s.field === 'file')?.args.path;
  if (path === '/out/trivy.json') return trivy;
  if (path === '/out/semgrep.json') return semgrep;
  return undefined;
};

describe('scan stage (wire)', () => {
  it("runs Trivy fs unfiltered and Semgrep with the local rules, in the pinned images, on the run's DB", async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, { components: [{ name: 'api' }], policy: DEFAULT_POLICY });
    const { engine, error } = await runStage(scanStage, ctx, {
      files: reports(await fixture('trivy/fs-npm-package-lock-vex.json'), '{"results":[],"errors":[]}'),
    });
    expect(error).toBeInstanceOf(PolicyError);
    const execs = engine.execs();
    const trivy = execs.find((e) => e.argv[1] === 'fs');
    const sast = execs.find((e) => e.argv[0] === 'semgrep');
    expect(trivy?.image).toBe(IMAGES.trivy);
    expect(trivy?.argv.slice(0, 4)).toEqual(['trivy', 'fs', '--scanners', 'vuln,secret,misconfig']);
    expect(trivy?.argv).toEqual(expect.arrayContaining(['--format', 'json', '--output', '/out/trivy.json']));
    for (const filter of ['--severity', '--ignore-unfixed', '--exit-code']) {
      expect(trivy?.argv.join(' ')).not.toContain(filter);
    }
    // Trivy's DB: downloaded once per run (`--download-db-only`) on the cache volume mounted LOCKED, copied into
    // the scan's own cache dir, and the scan skips the update (trivy v0.57.1 pkg/flag/db_flags.go; the download is
    // locked per process only, pkg/commands/operation/operation.go; facts §6). No shared cache volume on the scan.
    expect(trivy?.caches).toEqual([]);
    expect(trivy?.argv).toEqual(
      expect.arrayContaining(['--cache-dir', '/root/.cache/trivy', '--skip-db-update']),
    );
    const db = trivy?.copies.find((c) => c.path === '/root/.cache/trivy')?.source ?? [];
    const execsOf = (chain: Step[]) =>
      chain.filter((st) => st.field === 'withExec').map((st) => (st.args.args as string[]).join(' '));
    expect(execsOf(db)[0]).toBe('trivy image --download-db-only --cache-dir /cache/trivy');
    expect(db.find((st) => st.field === 'withMountedCache')?.args).toMatchObject({
      path: '/cache/trivy',
      sharing: 'LOCKED',
    });
    const download = execs.find((e) => e.argv.includes('--download-db-only'));
    expect(download?.caches).toEqual([{ path: '/cache/trivy', key: 'gantry-trivy-db' }]);
    expect(download?.env.GANTRY_RUN_ID).toContain(ctx.manifest.get().runId);
    expect(trivy?.mounts.map((m) => m.path)).toContain('/src');
    expect(trivy?.expect).toBe('ANY');
    expect(sast?.image).toBe(IMAGES.semgrep);
    expect(sast?.argv).toEqual(
      expect.arrayContaining(['--config', '/rules/builtin/javascript.yaml', '--json', '--metrics=off']),
    );
    expect(sast?.argv.filter((a) => a.startsWith('p/'))).toEqual([]);
    // A node component gets the generic, dockerfile and javascript rule sets, each a host file of the package.
    const rules = sast?.mounts.filter((m) => m.path.startsWith('/rules/'));
    expect(rules?.map((m) => m.path)).toEqual(
      ['generic', 'dockerfile', 'javascript'].map((set) => `/rules/builtin/${set}.yaml`),
    );
    for (const mount of rules ?? []) {
      expect(mount.source?.map((s) => s.field)).toEqual(['host', 'file']);
      expect(String(mount.source?.[1]?.args.path)).toMatch(/policies\/semgrep\/[a-z]+\.yaml$/);
    }
  });

  it('blocks (exit 3) on a blocking finding and still writes every report and the verdict', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, { components: [{ name: 'api' }], policy: DEFAULT_POLICY });
    const trivyJson = await fixture('trivy/fs-npm-package-lock-vex.json');
    const { error } = await runStage(scanStage, ctx, {
      files: reports(trivyJson, await fixture('semgrep/semgrep-1.30.0-go.json')),
    });
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).exitCode).toBe(3);
    expect((error as Error).message).toContain('CVE-2017-20165');
    const names = (await readdir(join(repo.outDir, 'reports'))).sort();
    expect(names).toEqual([
      'gl-sast-report.json',
      'semgrep-api.json',
      'semgrep.sarif',
      'trivy-fs-api.json',
      'trivy.sarif',
    ]);
    expect(await readFile(join(repo.outDir, 'reports/trivy-fs-api.json'), 'utf8')).toBe(trivyJson);
    const sarif = JSON.parse(await readFile(join(repo.outDir, 'reports/semgrep.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(5);
    const scan = ctx.manifest.get().scan;
    expect(scan?.verdict).toBe('blocked');
    expect(scan?.counts.vulnerability?.HIGH).toBe(1);
    expect(scan?.counts.sast?.MEDIUM).toBe(5);
  });

  it('passes when a waiver covers the finding, and records the waiver as applied', async () => {
    const policy = (await readFile(DEFAULT_POLICY, 'utf8')).replace(
      'waivers: []',
      'waivers:\n  - id: CVE-2017-20165\n    reason: debug is a dev dependency\n    expires: 2999-12-31\n',
    );
    repo = await tempRepo({ 'policy.yaml': policy });
    const ctx = stageContext(repo, { components: [{ name: 'api' }], policy: 'policy.yaml' });
    const { error, result } = await runStage(scanStage, ctx, {
      files: reports(await fixture('trivy/fs-npm-package-lock-vex.json'), '{"results":[],"errors":[]}'),
    });
    expect(error).toBeUndefined();
    expect(result?.message).toMatch(/PASSED/);
    expect(ctx.manifest.get().scan).toMatchObject({
      verdict: 'passed',
      waivers: { applied: ['CVE-2017-20165'] },
    });
  });

  it('tells a scanner crash from findings: no report → StageError (exit 1), raw output kept', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, { components: [{ name: 'api' }], policy: DEFAULT_POLICY });
    const { error } = await runStage(scanStage, ctx, {
      exec: [{ argv: /^semgrep/, exitCode: 2, stderr: 'invalid rule' }],
      files: reports(
        '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem"}',
        '{"results":[],"errors":[]}',
      ),
    });
    expect(error).toBeInstanceOf(StageError);
    expect((error as Error).message).toMatch(/semgrep exited 2[\s\S]*invalid rule/);
    expect(ctx.manifest.get().scan).toBeUndefined();
  });

  it('a truncated report from a scanner that exited 0 blocks (PolicyError, exit 3), as gantry gate does', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, { components: [{ name: 'api' }], policy: DEFAULT_POLICY });
    const full = '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem","Results":[]}';
    const { error } = await runStage(scanStage, ctx, {
      files: reports(full.slice(0, 30), '{"results":[],"errors":[]}'),
    });
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ exitCode: 3, code: 'REPORT_TRUNCATED' });
    expect((error as Error).message).toMatch(/trivy.*\.json is not valid JSON .*so the trivy gate blocks/);
    expect(ctx.manifest.get().scan).toBeUndefined();
  });

  it('scans several components concurrently', async () => {
    repo = await tempRepo();
    const ctx = stageContext(repo, {
      components: [
        { name: 'api', path: '.' },
        { name: 'web', path: '.' },
      ],
      policy: DEFAULT_POLICY,
    });
    const { engine, error } = await runStage(scanStage, ctx, {
      exec: [{ argv: /^(trivy|semgrep)/, delayMs: 150 }],
      files: reports(
        '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem"}',
        '{"results":[],"errors":[]}',
      ),
    });
    expect(error).toBeUndefined();
    expect(engine.maxConcurrency()).toBeGreaterThanOrEqual(4);
  });
});
