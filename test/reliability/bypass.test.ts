/**
 * Gate bypass attempts: each is refused with its exit code, and nothing is published or deployed past
 * the gate. The detector is shown to catch a deliberate bypass (production approval switched off).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunManifest } from '../../src/core/manifest/schema.ts';
import type { CliResult } from '../support/cli.ts';
import type { TestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario, type PipelineScenarioOptions } from '../support/scenarios.ts';
import { BASE_CONFIG, ROOT, type Workspace, withEngine, workspace } from './support.ts';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.cleanup();
  ws = undefined;
});

const SHARED = join(ROOT, '../shared/fixtures');
const OTHER_DIGEST = `sha256:${'e'.repeat(64)}`;

/** How a refused attempt went through anyway, or undefined when it was refused with `exitCode`. */
function bypass(
  result: CliResult,
  exitCode: number,
  manifest: RunManifest | undefined,
  engine: TestEngine,
  deployedBefore = 0,
): string | undefined {
  if (result.code !== exitCode) return `exit ${result.code}, expected ${exitCode}:\n${result.stderr}`;
  const deployed = (manifest?.deployments ?? []).filter((d) => d.result === 'deployed');
  if (deployed.length > deployedBefore) return `deployed to ${deployed.at(-1)?.environment}`;
  const applied = engine.execs().filter((e) => e.argv[0] === 'kubectl' && e.argv[1] === 'apply');
  if (applied.length > 0 && deployed.length === deployedBefore) return 'kubectl apply ran';
  return undefined;
}

/** The digests the release job of a workspace signed: a later job's `cosign verify` accepts these only. */
const signedBy = new WeakMap<Workspace, string[]>();

/** Runs the pipeline up to `until` (passing) in a fresh workspace. */
async function released(until: string, config: object = BASE_CONFIG): Promise<Workspace> {
  ws = await workspace(config);
  const w = ws;
  await withEngine(fullPipelineScenario(), async (engine) => {
    const result = await w.run(engine, ['--until', until, '--yes']);
    expect(result.code, result.stderr).toBe(0);
    const signs = engine.execs().filter((e) => e.argv[0] === 'cosign' && e.argv[1] === 'sign');
    signedBy.set(
      w,
      signs.map((e) => /@(sha256:[a-f0-9]{64})$/.exec(e.argv.at(-1) ?? '')?.[1] ?? ''),
    );
  });
  return w;
}

async function attempt(w: Workspace, args: string[], options: PipelineScenarioOptions = {}) {
  const before = (await w.readManifest().catch(() => undefined))?.deployments.length ?? 0;
  return withEngine(fullPipelineScenario({ signed: signedBy.get(w) ?? [], ...options }), async (engine) => {
    const result = await w.run(engine, args);
    const manifest = await w.readManifest().catch(() => undefined);
    const deployedBefore = Math.min(
      before,
      manifest?.deployments.filter((d) => d.result === 'deployed').length ?? 0,
    );
    return {
      result,
      engine,
      manifest,
      check: (code: number) => bypass(result, code, manifest, engine, deployedBefore),
    };
  });
}

describe('gate bypass attempts', () => {
  it('the detector catches a deliberate bypass: production deployed with approval switched off', async () => {
    const off = {
      ...BASE_CONFIG,
      environments: {
        ...BASE_CONFIG.environments,
        production: { ...BASE_CONFIG.environments.production, approval: false },
      },
    };
    const w = await released('deploy-staging', off);
    const { check } = await attempt(w, ['--only', 'deploy-production']);
    expect(check(4)).toMatch(/exit 0|deployed to production/);
  }, 60_000);

  it('production deploy with no approval → exit 4', async () => {
    const w = await released('deploy-staging');
    const { check, result } = await attempt(w, ['--only', 'deploy-production']);
    expect(check(4)).toBeUndefined();
    expect(result.stderr).toMatch(/approval/i);
  }, 60_000);

  it('an approval given for another hash → exit 4, and no approval recorded', async () => {
    const w = await released('deploy-staging');
    const { check } = await attempt(w, [
      '--only',
      'approve-production',
      '--approve',
      `sha256:${'0'.repeat(64)}`,
    ]);
    expect(check(4)).toBeUndefined();
    expect((await w.readManifest()).approvals).toEqual([]);
  }, 60_000);

  it('a manifest edited after approval (another digest) → exit 4', async () => {
    const w = await released('approve-production');
    await w.editManifest((m) => {
      const image = m.components['hello-api']?.image;
      if (!image) throw new Error('no image');
      image.digest = OTHER_DIGEST;
      image.ref = `${image.repository}@${OTHER_DIGEST}`;
    });
    const { check, result } = await attempt(w, ['--only', 'deploy-production']);
    expect(check(4)).toBeUndefined();
    expect(result.stderr).toMatch(/hash|digest|approv/i);
  }, 60_000);

  it('an unsigned digest → staging exit 3; a signature cosign cannot verify → production exit 4', async () => {
    const w = await released('sign');
    await w.editManifest((m) => {
      const record = m.components['hello-api'];
      if (record) delete record.signature;
    });
    const staging = await attempt(w, ['--only', 'deploy-staging']);
    expect(staging.check(3)).toBeUndefined();
    expect(staging.result.stderr).toMatch(/no signature/);

    const approved = await released('approve-production');
    const production = await attempt(approved, ['--only', 'deploy-production'], {
      exec: [{ argv: /^cosign verify /, exitCode: 1, stderr: 'Error: no matching signatures' }],
    });
    expect(production.check(4)).toBeUndefined();
    expect(production.result.stderr).toMatch(/production refuses/);
  }, 90_000);

  it('a truncated scan report → exit 3 (fails closed, as gantry gate); a scanner crash → exit 1; nothing published', async () => {
    const report = await readFile(join(SHARED, 'trivy/fs-npm-package-lock-vex.json'), 'utf8');
    for (const [options, code, message] of [
      [
        { trivyFs: report.slice(0, Math.floor(report.length / 2)) },
        3,
        /not valid JSON .*so the trivy gate blocks/,
      ],
      [{ exec: [{ argv: /^semgrep/, exitCode: 2, stderr: 'semgrep: invalid rule' }] }, 1, /scan failed/],
    ] satisfies [PipelineScenarioOptions, number, RegExp][]) {
      ws = await workspace();
      const { check, engine, result } = await attempt(ws, ['--yes'], options);
      expect(check(code), JSON.stringify(options).slice(0, 80)).toBeUndefined();
      expect(engine.calls.some((c) => c.steps.at(-1)?.field === 'publish')).toBe(false);
      expect(result.stderr).toMatch(message);
      await ws.cleanup();
    }
  }, 90_000);

  it('an expired waiver does not waive: the finding blocks (exit 3)', async () => {
    const policy = (await readFile(join(ROOT, 'policies/default.yaml'), 'utf8')).replace(
      'waivers: []',
      'waivers:\n  - id: CVE-2017-20165\n    reason: was fine once\n    expires: 2001-01-01\n',
    );
    ws = await workspace();
    const w = ws;
    // The policy must sit inside the repository (the run's cwd): a git-ignored folder of it.
    await mkdir(join(ROOT, 'out'), { recursive: true });
    const dir = await mkdtemp(join(ROOT, 'out', 'policy-'));
    await writeFile(join(dir, 'policy.yaml'), policy);
    await writeFile(w.config, stringify({ ...BASE_CONFIG, policy: join(dir, 'policy.yaml') }));
    const report = await readFile(join(SHARED, 'trivy/fs-npm-package-lock-vex.json'), 'utf8');
    const { check, engine, result } = await attempt(w, ['--yes'], { trivyFs: report });
    expect(check(3)).toBeUndefined();
    expect(result.stderr).toContain('CVE-2017-20165');
    expect(result.stderr).toMatch(/expired/i);
    expect(engine.calls.some((c) => c.steps.at(-1)?.field === 'publish')).toBe(false);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
