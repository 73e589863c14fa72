/**
 * Which execs run fresh on every run, over a whole pipeline run of examples/hello-api.
 * Why: Dagger answers an exec from cache when its container is unchanged, and cache-volume contents are not
 * part of that key (Dagger cookbook "Invalidate cache" in the v0.21.8 tree: "Changes in mounted cache volumes
 * or secrets do not invalidate the Dagger layer cache"; dagger/dagger#10350). v0.21.8 has no
 * `withExec(noCache)` (schema-v0.21.8.graphqls), so a per-run variable busts it (the cookbook's CACHEBUSTER).
 * See /work/notes/issue12-facts.md §3.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_ID_VARIABLE } from '../../src/dagger/fresh.ts';
import { runCli } from '../support/cli.ts';
import { type ExecRecord, startTestEngine, type TestEngine } from '../support/engine/index.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';

const root = join(import.meta.dirname, '../..');
let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const line = (e: ExecRecord) => e.argv.join(' ');

describe('fresh-per-run execs (wire)', () => {
  it('scans, the Trivy DB download and cosign verify carry the run id; deps, build, test and signing do not', async () => {
    engine = await startTestEngine(fullPipelineScenario());
    const out = await mkdtemp(join(tmpdir(), 'gantry-fresh-'));
    const manifest = join(out, 'manifest.json');
    const e = engine;
    const result = await e.run(() =>
      runCli(['run', '--yes', '--manifest', manifest], { cwd: root, env: { ...e.env } }),
    );
    expect(result.code, result.stderr).toBe(0);
    const { runId } = JSON.parse(await readFile(manifest, 'utf8'));
    const execs = e.execs();
    const fresh = execs.filter((x) => x.env[RUN_ID_VARIABLE] !== undefined);
    const cached = execs.filter((x) => x.env[RUN_ID_VARIABLE] === undefined);
    // Every fresh exec carries this run's id.
    for (const x of fresh) expect(x.env[RUN_ID_VARIABLE]).toMatch(new RegExp(`^${runId}\\.`));
    const freshLines = fresh.map(line);
    for (const expected of [
      /^trivy image --download-db-only/,
      /^trivy fs /,
      /^semgrep scan /,
      /^trivy image --input/,
      /^trivy convert /,
      /^cosign verify /,
      /^cosign verify-attestation /,
    ]) {
      expect(
        freshLines.some((l) => expected.test(l)),
        `${expected} runs fresh`,
      ).toBe(true);
    }
    // Staging and production verify the same digest in one run: one exec (same run id), no cosign verify cached.
    expect(freshLines.filter((l) => l.startsWith('cosign verify '))).toHaveLength(1);
    expect(cached.some((x) => line(x).startsWith('cosign verify'))).toBe(false);
    // deps, test and signing stay cached: same inputs, same result.
    const cachedLines = cached.map(line);
    expect(cachedLines.some((l) => /^npm (ci|install)/.test(l))).toBe(true);
    expect(cachedLines.some((l) => /^npm (test|run)/.test(l))).toBe(true);
    for (const l of freshLines) expect(l).not.toMatch(/^(npm|cosign sign|cosign attest|cosign generate)/);
    expect(cached.some((x) => x.argv[0] === 'trivy' || x.argv[0] === 'semgrep')).toBe(false);
  });
});
