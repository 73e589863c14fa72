/**
 * The CI wrappers that `gantry ci init` writes, as data: which file goes to which path in the target
 * repository. The source of each is this repository's own committed wrapper, shipped in the package.
 */
import { readFile } from 'node:fs/promises';
import { packageFile } from '../../core/package-files.ts';

/** The CI platforms Gantry has wrappers for. */
export const CI_PLATFORMS = ['github', 'gitlab', 'jenkins'] as const;

/** One of the {@link CI_PLATFORMS}. */
export type CiPlatform = (typeof CI_PLATFORMS)[number];

/** One file a platform's wrapper consists of. */
export interface CiTemplate {
  /** Where it goes, relative to the target repository root (POSIX separators). */
  readonly target: string;
  /** What the file is, for `gantry ci init` output. */
  readonly description: string;
}

/** Every template file, per platform, in the order they are written. */
export const CI_TEMPLATES: Readonly<Record<CiPlatform, readonly CiTemplate[]>> = {
  github: [
    {
      target: '.github/workflows/gantry.yml',
      description: 'workflow: verify on pull requests, release/approve/promote on the default branch',
    },
    {
      target: '.github/workflows/gantry-reusable.yml',
      description: 'reusable workflow (workflow_call) running one phase',
    },
  ],
  gitlab: [
    {
      target: '.gitlab-ci.yml',
      description: 'pipeline: includes the Gantry template, one pipeline per change',
    },
    {
      target: 'ci/gitlab/gantry.yml',
      description: 'include-able template: stages = phases, manual approval, reports',
    },
  ],
  jenkins: [
    {
      target: 'Jenkinsfile',
      description: 'declarative pipeline: one stage per phase, input approval, locks',
    },
    {
      target: 'vars/gantry.groovy',
      description: 'shared library step: gantry phase: "verify"',
    },
  ],
};

/** A template with its content, ready to be written. */
export interface RenderedTemplate extends CiTemplate {
  /** The file content, exactly as committed. */
  readonly content: string;
}

/**
 * Where a wrapper file comes from: the copy committed in this repository (and shipped in the package), so
 * the wrappers Gantry runs on itself and the ones `gantry ci init` writes are one and the same file.
 */
export function templatePath(target: string): string {
  return packageFile(target);
}

export async function readCiTemplates(platform: CiPlatform): Promise<RenderedTemplate[]> {
  return Promise.all(
    CI_TEMPLATES[platform].map(async (t) => ({
      ...t,
      content: await readFile(templatePath(t.target), 'utf8'),
    })),
  );
}

/** Narrows a user-supplied name to a {@link CiPlatform}. */
export function isCiPlatform(name: string): name is CiPlatform {
  return (CI_PLATFORMS as readonly string[]).includes(name);
}
