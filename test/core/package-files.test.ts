import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, packageFile, resolvePolicyFile } from '../../src/core/package-files.ts';

const root = join(import.meta.dirname, '../..');

describe('package files', () => {
  it('finds files shipped with the package from the source tree', () => {
    expect(packageFile('package.json')).toBe(join(root, 'package.json'));
    expect(existsSync(packageFile('policies/semgrep'))).toBe(true);
  });

  it("uses the repository's own policy when it has one", () => {
    expect(resolvePolicyFile('/repo', DEFAULT_POLICY, () => true)).toBe('/repo/policies/default.yaml');
    expect(resolvePolicyFile('/repo', 'security/strict.yaml', () => false)).toBe(
      '/repo/security/strict.yaml',
    );
  });

  it('falls back to the shipped default policy only when the config keeps the default', () => {
    expect(resolvePolicyFile('/repo', DEFAULT_POLICY, () => false)).toBe(join(root, 'policies/default.yaml'));
  });
});
