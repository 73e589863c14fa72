import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../support/engine/index.ts';
import { parseGantt } from '../support/mermaid.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';

const root = join(import.meta.dirname, '../..');
let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function gantry(args: string[], manifest: string, env: Record<string, string> = {}) {
  const e = engine as TestEngine;
  return e.run(() =>
    runCli(['run', ...args, '--manifest', manifest], { cwd: root, env: { ...e.env, ...env } }),
  );
}

async function start(scenario: Scenario) {
  engine = await startTestEngine(scenario);
  const out = await mkdtemp(join(tmpdir(), 'gantry-full-'));
  return { out, manifest: join(out, 'manifest.json') };
}

const read = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

describe('the nine stages on examples/hello-api with the embedded defaults (wire)', () => {
  it('runs end to end with a non-interactive approval and writes a complete manifest', async () => {
    const { out, manifest } = await start(fullPipelineScenario({ execDelayMs: 30 }));
    const result = await gantry(['--yes'], manifest);
    expect(result.code, result.stderr).toBe(0);
    expect(engine?.requests.filter((r) => !r.valid)).toEqual([]);

    const m = await read(manifest);
    expect(m.source.commit).toMatch(/^[a-f0-9]{40}$/);
    const api = m.components['hello-api'];
    expect(api.image.ref).toMatch(/^.+\/hello-api@sha256:[a-f0-9]{64}$/);
    expect(api.signature.ref).toContain(api.image.digest.replace(':', '-'));
    expect(m.signingPublicKey).toContain('BEGIN PUBLIC KEY');
    expect(
      m.deployments.map((d: { environment: string; result: string }) => [d.environment, d.result]),
    ).toEqual([
      ['staging', 'deployed'],
      ['production', 'deployed'],
    ]);
    for (const d of m.deployments) expect(d.digests['hello-api']).toBe(api.image.ref);
    expect(m.approvals).toHaveLength(1);
    expect(m.approvals[0]).toMatchObject({ hash: m.contentHash, selfApproved: true, platform: 'local' });
    expect(Object.values(m.stages).every((s) => (s as { status: string }).status === 'passed')).toBe(true);

    // Reports a CI reads are there.
    expect(await readdir(join(out, 'reports'))).toEqual(
      expect.arrayContaining([
        'trivy.sarif',
        'semgrep.sarif',
        'gl-sast-report.json',
        'gl-container-scanning-report.json',
      ]),
    );
    const summaryMd = await readFile(join(out, 'summary.md'), 'utf8');
    expect(summaryMd).toMatch(/hello-api@sha256:/);
    // The timing chart parses with Mermaid and has a bar for every stage the run recorded.
    const chart = await parseGantt(/```mermaid\n([\s\S]*?)```/.exec(summaryMd)?.[1] ?? '');
    expect(chart.map((t) => t.task).sort()).toEqual(Object.keys(m.stages).sort());
    // The provenance is SLSA v1 (checked field by field in test/core/provenance.test.ts).
    const slsa = JSON.parse(await readFile(join(out, 'attestations/hello-api.slsa.json'), 'utf8'));
    expect(slsa.buildDefinition.resolvedDependencies[0].digest).toEqual({ gitCommit: m.source.commit });
    expect(slsa.runDetails.metadata.invocationId).toBe(m.runId);
  });

  it('runs test and scan at the same time: their queries are in flight together', async () => {
    const { manifest } = await start(fullPipelineScenario({ execDelayMs: 150 }));
    const result = await gantry(['--phase', 'verify'], manifest);
    expect(result.code, result.stderr).toBe(0);
    const e = engine as TestEngine;
    // When the requests whose expanded chains run a given tool were in flight.
    const span = (tool: (argv: string[]) => boolean) => {
      const ids = new Set(
        e.calls
          .filter((c) => c.steps.some((s) => s.field === 'withExec' && tool(s.args.args as string[])))
          .map((c) => c.request),
      );
      const reqs = [...ids].map((i) => e.requests[i]).filter((r) => r !== undefined);
      expect(reqs.length).toBeGreaterThan(0);
      return [
        Math.min(...reqs.map((r) => r.start)),
        Math.max(...reqs.map((r) => r.end ?? Infinity)),
      ] as const;
    };
    const tests = span((a) => a.join(' ') === 'npm test');
    const scans = span((a) => a[0] === 'trivy' || a[0] === 'semgrep');
    expect(tests[0]).toBeLessThan(scans[1]);
    expect(scans[0]).toBeLessThan(tests[1]);
    expect(e.maxConcurrency()).toBeGreaterThanOrEqual(2);
  });

  it('runs phase by phase as CI jobs do, the manifest carrying digests and the approval between them', async () => {
    const { manifest } = await start(fullPipelineScenario());
    expect((await gantry(['--phase', 'verify'], manifest)).code).toBe(0);
    expect((await gantry(['--phase', 'release'], manifest)).code).toBe(0);
    const released = await read(manifest);
    // Without a terminal, approval needs the hash of exactly what passed staging.
    const noHash = await gantry(['--phase', 'approve'], manifest);
    expect(noHash.code).toBe(4);
    expect(noHash.stderr).toContain(released.contentHash);
    expect((await gantry(['--phase', 'approve', '--approve', released.contentHash], manifest)).code).toBe(0);
    const promoted = await gantry(['--phase', 'promote'], manifest);
    expect(promoted.code, promoted.stderr).toBe(0);
    const m = await read(manifest);
    expect(m.contentHash).toBe(released.contentHash);
    expect(m.deployments.at(-1)).toMatchObject({ environment: 'production', result: 'deployed' });
    // Build ran once: the production deployment carries the digest built in the release job.
    expect(m.deployments.at(-1).digests['hello-api']).toBe(released.components['hello-api'].image.ref);
  });
});
