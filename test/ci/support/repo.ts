/** Paths shared by the CI wrapper tests. */
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The wrapper files committed at the repository root, per platform. */
export const committed = {
  github: ['.github/workflows/gantry.yml', '.github/workflows/gantry-reusable.yml'],
  gitlab: ['.gitlab-ci.yml', 'ci/gitlab/gantry.yml'],
  jenkins: ['Jenkinsfile', 'vars/gantry.groovy'],
} as const;
