import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { engineTarget } from '../../src/dagger/engine.ts';
import { e2eInvocation } from './invocation.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const target = engineTarget(process.env);
const reachable = target.kind !== 'none';

if (!reachable) {
  console.info(
    `[e2e] skipped: no Dagger engine is reachable here (${target.description}). ` +
      'Run `npm run test:e2e` on a machine with Docker, under `dagger run`, or with _EXPERIMENTAL_DAGGER_RUNNER_HOST set; ' +
      'the e2e GitHub workflow runs it.',
  );
}

/** The real pipeline against a real engine, with the embedded registry, k3s and a generated key pair. */
describe.skipIf(!reachable)(`end to end on a real engine (${target.description})`, () => {
  it(
    'runs all nine stages on examples/hello-api and records commit, digest, signature and both deployments',
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'gantry-e2e-'));
      const manifestFile = join(out, 'manifest.json');
      // On the GitHub runner (CI=true): test/e2e/ci.gantry.yaml (production not gated); on a laptop: --yes.
      const run = e2eInvocation(process.env, manifestFile);
      await exec(run.command, run.args, { cwd: root, env: process.env, maxBuffer: 256 << 20 });
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
      expect(manifest.source.commit).toMatch(/^[a-f0-9]{40}$/);
      const image = manifest.components['hello-api'].image;
      expect(image.ref).toMatch(/@sha256:[a-f0-9]{64}$/);
      expect(manifest.components['hello-api'].signature).toBeDefined();
      expect(manifest.deployments.map((d: { environment: string }) => d.environment)).toEqual([
        'staging',
        'production',
      ]);
      // On a laptop --yes approves production; on CI production is not gated (test/e2e/ci.gantry.yaml).
      if (run.approval === 'yes') {
        expect(manifest.approvals[0].hash).toBe(manifest.contentHash);
        expect(manifest.approvals[0].selfApproved).toBe(true);
      } else {
        expect(manifest.approvals).toEqual([]);
      }
    },
    45 * 60_000,
  );
});
