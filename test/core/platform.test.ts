/** CI detection from ci-info's vendor list: every CI it knows is CI, so `--yes` is refused there (issue 11). */
import { describe, expect, it } from 'vitest';
import { ciVendorOf, isCI } from '../../src/core/platform.ts';
import { CI_SYSTEMS, CI_VENDORS as vendors } from '../support/ci-systems.ts';

describe('isCI', () => {
  it('knows more than 40 CI systems, Azure Pipelines, CodeBuild and TeamCity among them', () => {
    expect(vendors.length).toBeGreaterThan(40);
    expect(vendors.map((v) => v.constant)).toEqual(
      expect.arrayContaining([
        'AZURE_PIPELINES',
        'CODEBUILD',
        'TEAMCITY',
        'GITHUB_ACTIONS',
        'GITLAB',
        'JENKINS',
      ]),
    );
  });

  it.each(CI_SYSTEMS)('$name is CI', ({ env }) => {
    expect(ciVendorOf(env)).toBeDefined();
    expect(isCI(env)).toBe(true);
    // CI=false does not switch detection off: the job could set it to enable --yes.
    if (!('CI' in env)) expect(isCI({ ...env, CI: 'false' })).toBe(true);
  });

  it('a local shell is not CI; the generic variables are', () => {
    expect(isCI({})).toBe(false);
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ HOME: '/home/me', PATH: '/usr/bin' })).toBe(false);
    for (const name of ['CI', 'BUILD_NUMBER', 'BUILD_ID', 'CONTINUOUS_INTEGRATION', 'RUN_ID'])
      expect(isCI({ [name]: '1' }), name).toBe(true);
  });
});
