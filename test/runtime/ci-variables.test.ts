import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newManifest } from '../../src/core/manifest/store.ts';
import { ciVariables, writeCiVariables } from '../../src/runtime/ci-variables.ts';

const parseDotenv = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('ciVariables', () => {
  it('hands the run id on before the build, and the manifest hash once the digests are fixed', () => {
    const m = newManifest({ name: 'gitlab' });
    expect(parseDotenv(ciVariables(m))).toEqual({ GANTRY_RUN_ID: m.runId });
    m.contentHash = `sha256:${'a'.repeat(64)}`;
    expect(parseDotenv(ciVariables(m))).toEqual({
      GANTRY_RUN_ID: m.runId,
      GANTRY_MANIFEST_HASH: m.contentHash,
    });
  });

  it('refuses a value that would add a line or break the format (exit 2), writing nothing', async () => {
    for (const runId of ['abc\nDEPLOY_TOKEN=x', 'a b', 'a\r', '', 'x=y', "'quoted'"]) {
      const m = newManifest({ name: 'gitlab' });
      m.runId = runId;
      expect(() => ciVariables(m), JSON.stringify(runId)).toThrow(
        expect.objectContaining({ code: 'CI_VARIABLE_INVALID', exitCode: 2 }),
      );
    }
    const m = newManifest({ name: 'gitlab' });
    m.contentHash = `sha256:${'a'.repeat(64)}\nEVIL=1`;
    expect(() => ciVariables(m)).toThrow(/GANTRY_MANIFEST_HASH/);
    const file = join(await mkdtemp(join(tmpdir(), 'gantry-env-')), 'gantry.env');
    await expect(writeCiVariables(file, m)).rejects.toMatchObject({ exitCode: 2 });
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  it('names the URL of the environment deployed last, for the CI deployment (GitLab environment:url)', () => {
    const m = newManifest({ name: 'gitlab' });
    const at = new Date().toISOString();
    m.deployments.push(
      { environment: 'staging', digests: {}, result: 'deployed', at, url: 'https://staging.example.com' },
      { environment: 'production', digests: {}, result: 'rolled-back', at, url: 'https://example.com' },
    );
    expect(parseDotenv(ciVariables(m))).toMatchObject({
      GANTRY_ENVIRONMENT: 'staging',
      GANTRY_ENVIRONMENT_URL: 'https://staging.example.com',
    });
  });

  it('writes the dotenv file GitLab reads as artifacts:reports:dotenv', async () => {
    const m = newManifest({ name: 'local' });
    const file = join(await mkdtemp(join(tmpdir(), 'gantry-env-')), 'out', 'gantry.env');
    await writeCiVariables(file, m);
    expect(await readFile(file, 'utf8')).toBe(ciVariables(m));
  });
});
