/**
 * The CI wrapper templates that `gantry ci init` writes, as data: which template file becomes which path
 * in the target repository. The repository's own wrappers are byte-identical copies (checked by a test).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The CI platforms Gantry has wrappers for. */
export const CI_PLATFORMS = ['github', 'gitlab', 'jenkins'] as const;

/** One of the {@link CI_PLATFORMS}. */
export type CiPlatform = (typeof CI_PLATFORMS)[number];

/** One file a platform's wrapper consists of. */
export interface CiTemplate {
  /** File name under `pipeline/ci/templates/<platform>/`. */
  readonly template: string;
  /** Where it goes, relative to the target repository root (POSIX separators). */
  readonly target: string;
  /** What the file is, for `gantry ci init` output. */
  readonly description: string;
}

/** Every template file, per platform, in the order they are written. */
export const CI_TEMPLATES: Readonly<Record<CiPlatform, readonly CiTemplate[]>> = {
  github: [
    {
      template: 'gantry.yml',
      target: '.github/workflows/gantry.yml',
      description: 'workflow: verify on pull requests, release/approve/promote on the default branch',
    },
    {
      template: 'gantry-reusable.yml',
      target: '.github/workflows/gantry-reusable.yml',
      description: 'reusable workflow (workflow_call) running one phase',
    },
  ],
  gitlab: [
    {
      template: 'gitlab-ci.yml',
      target: '.gitlab-ci.yml',
      description: 'pipeline: includes the Gantry template, one pipeline per change',
    },
    {
      template: 'gantry.yml',
      target: 'ci/gitlab/gantry.yml',
      description: 'include-able template: stages = phases, manual approval, reports',
    },
  ],
  jenkins: [
    {
      template: 'Jenkinsfile',
      target: 'Jenkinsfile',
      description: 'declarative pipeline: one stage per phase, input approval, locks',
    },
    {
      template: 'gantry.groovy',
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

const templatesDir = new URL('./templates/', import.meta.url);

/** Absolute path of a platform's template file. */
export function templatePath(platform: CiPlatform, template: string): string {
  return fileURLToPath(new URL(`${platform}/${template}`, templatesDir));
}

/** Reads a platform's templates, in {@link CI_TEMPLATES} order. */
export async function readCiTemplates(platform: CiPlatform): Promise<RenderedTemplate[]> {
  return Promise.all(
    CI_TEMPLATES[platform].map(async (t) => ({
      ...t,
      content: await readFile(templatePath(platform, t.template), 'utf8'),
    })),
  );
}

/** Narrows a user-supplied name to a {@link CiPlatform}. */
export function isCiPlatform(name: string): name is CiPlatform {
  return (CI_PLATFORMS as readonly string[]).includes(name);
}
