import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CI_PLATFORMS,
  CI_TEMPLATES,
  isCiPlatform,
  readCiTemplates,
  templatePath,
} from '../../../pipeline/ci/templates.ts';
import { repoRoot } from '../../ci/support/repo.ts';

describe('CI templates', () => {
  it.each(CI_PLATFORMS)('%s: every committed wrapper file is identical to its template', async (platform) => {
    for (const t of await readCiTemplates(platform)) {
      const committed = await readFile(join(repoRoot, t.target), 'utf8');
      expect(committed, `${t.target} differs from pipeline/ci/templates/${platform}/${t.template}`).toBe(
        t.content,
      );
    }
  });

  it.each(CI_PLATFORMS)(
    '%s: every file in the template directory is listed (none is forgotten)',
    async (platform) => {
      const onDisk = (await readdir(join(templatePath(platform, '.')))).sort();
      expect(onDisk).toEqual(CI_TEMPLATES[platform].map((t) => t.template).sort());
    },
  );

  it('targets are unique across platforms, so two platforms can be initialised in one repository', () => {
    const targets = CI_PLATFORMS.flatMap((p) => CI_TEMPLATES[p].map((t) => t.target));
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('recognises platform names', () => {
    expect(isCiPlatform('gitlab')).toBe(true);
    expect(isCiPlatform('circleci')).toBe(false);
  });
});
