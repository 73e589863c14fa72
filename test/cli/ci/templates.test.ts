import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CI_PLATFORMS,
  CI_TEMPLATES,
  isCiPlatform,
  readCiTemplates,
  templatePath,
} from '../../../src/cli/ci/templates.ts';
import { repoRoot } from '../../ci/support/repo.ts';

describe('CI templates', () => {
  it.each(CI_PLATFORMS)('%s: each template is the committed wrapper of this repository', async (platform) => {
    for (const t of await readCiTemplates(platform)) {
      expect(templatePath(t.target)).toBe(join(repoRoot, t.target));
      expect(existsSync(templatePath(t.target))).toBe(true);
      expect(t.content).toMatch(/gantry/);
    }
  });

  it('every template is shipped in the package', async () => {
    const { files } = (await import('../../../package.json', { with: { type: 'json' } })).default as {
      files: string[];
    };
    for (const t of CI_PLATFORMS.flatMap((p) => CI_TEMPLATES[p])) {
      expect(
        files.some((f) => t.target === f || t.target.startsWith(`${f}/`)),
        `${t.target} is not in package.json "files"`,
      ).toBe(true);
    }
  });

  it('targets are unique across platforms, so two platforms can be initialised in one repository', () => {
    const targets = CI_PLATFORMS.flatMap((p) => CI_TEMPLATES[p].map((t) => t.target));
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('recognises platform names', () => {
    expect(isCiPlatform('gitlab')).toBe(true);
    expect(isCiPlatform('circleci')).toBe(false);
  });
});
