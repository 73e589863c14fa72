/** `gantry run` refuses before the engine is asked anything when the pre-flight finds a problem. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startTestEngine } from '../support/engine/index.ts';

describe('run pre-flight (wire)', () => {
  it('embedded registry with a real cluster, and an unset env:// secret: exit 2, no engine call', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'gantry-preflight-'));
    await mkdir(join(repo, 'api'));
    await writeFile(join(repo, 'api/Dockerfile'), 'FROM scratch\n');
    await writeFile(join(repo, 'api/kustomization.yaml'), 'resources: []\n');
    await writeFile(
      join(repo, 'gantry.yaml'),
      'version: 2\nname: shop\ncomponents: [{ name: api, path: api }]\n' +
        'environments: [{ name: staging, kubeconfig: "env://KUBECONFIG_STAGING" }]\n',
    );
    const engine = await startTestEngine({});
    try {
      const result = await engine.run(() =>
        runCli(['run', '--manifest', join(repo, 'out/manifest.json')], { cwd: repo, env: { ...engine.env } }),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('PREFLIGHT_FAILED');
      expect(result.stderr).toMatch(/registry: .*localhost:5000/);
      expect(result.stderr).toMatch(
        /environments\.staging\.kubeconfig: env:\/\/KUBECONFIG_STAGING is not set/,
      );
      expect(engine.requests).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
