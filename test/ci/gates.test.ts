/**
 * Issue 14, item 1: the human approval gate of each wrapper, committed and generated alike. Each check is
 * shown to fail when the gate is removed from a copy: `environment` from the GitHub approval (or its
 * reusable workflow's input made optional), `when: manual` or the environment from the GitLab approval job,
 * `submitter` from the Jenkins input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GITHUB_APPROVE_WORKFLOW, generateGithub } from '../../src/cli/ci/github.ts';
import { GITLAB_COMPONENT, generateGitlab, gitlabJob } from '../../src/cli/ci/gitlab.ts';
import { generateJenkins } from '../../src/cli/ci/jenkins.ts';
import type { CiShape } from '../../src/cli/ci/shape.ts';
import type { CiGenerateOptions } from '../../src/cli/ci/wrapper.ts';
import { currentShape } from './support/current.ts';
import { githubGateProblems, gitlabGateProblems, jenkinsGateProblems } from './support/gates.ts';
import { repoRoot } from './support/repo.ts';
import { customShape, twoGatesShape } from './support/shapes.ts';

/** A GitHub expression, `${{ … }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const approvals = (shape: CiShape) => shape.phases.filter((p) => p.approval).map((p) => p.name);
const pinned: CiGenerateOptions = {
  source: { kind: 'pinned', ref: '0123456789abcdef0123456789abcdef01234567', tag: 'v0.2.0' },
};
const only = (files: { content: string }[]) => files[0]?.content as string;

const shapes = { current: await currentShape(), custom: customShape, twoGates: twoGatesShape };
/** Every wrapper checked: the committed one, and the generated ones for each shape, local and pinned. */
const cases = [
  {
    name: 'committed',
    shape: shapes.current,
    github: read('.github/workflows/gantry.yml'),
    gitlab: read('.gitlab-ci.yml'),
    jenkins: read('Jenkinsfile'),
  },
  ...Object.entries(shapes).flatMap(([name, shape]) =>
    [undefined, pinned].map((options) => ({
      name: `generated ${name} ${options ? 'pinned' : 'local'}`,
      shape,
      github: only(generateGithub(shape, options)),
      gitlab: only(generateGitlab(shape, options)),
      jenkins: only(generateJenkins(shape, options)),
    })),
  ),
];

// A pinned GitLab wrapper includes the catalog component; here it is resolved from this checkout's template.
const asLocalInclude = (yaml: string) =>
  yaml.replace(/- component: \S+\/gantry@\S+/, `- local: ${GITLAB_COMPONENT}`);
const github = (yaml: string, shape: CiShape, reusable = read) =>
  githubGateProblems(yaml, approvals(shape), reusable);
const gitlab = (yaml: string, shape: CiShape, readLocal = read) =>
  gitlabGateProblems(asLocalInclude(yaml), approvals(shape).map(gitlabJob), readLocal);
const jenkins = (source: string, shape: CiShape) => jenkinsGateProblems(source, approvals(shape));

describe.each(cases)('approval gates: $name', ({ shape, ...wrappers }) => {
  it('has at least one approval to check', () => {
    expect(approvals(shape).length).toBeGreaterThan(0);
  });

  it('GitHub: every approval job runs in a required, literal environment', () => {
    expect(github(wrappers.github, shape)).toEqual([]);
  });

  it('GitHub: removing the environment from an approval job is caught', () => {
    const mutated = wrappers.github.replace(/^(\s+)environment: \w+\n/m, '');
    expect(mutated).not.toBe(wrappers.github);
    expect(github(mutated, shape)).toContainEqual(expect.stringMatching(/without a literal environment/));
  });

  it('GitLab: every approval job is manual, blocking, in an environment', () => {
    expect(gitlab(wrappers.gitlab, shape)).toEqual([]);
  });

  it('GitLab: dropping the approval job environment is caught', () => {
    const mutated = wrappers.gitlab.replace(/ {2}environment:\n {4}name: \S+\n {4}action: prepare\n/, '');
    expect(mutated).not.toBe(wrappers.gitlab);
    expect(gitlab(mutated, shape)).toContainEqual(expect.stringMatching(/no environment to protect/));
  });

  it('Jenkins: every approval stage has an input with a submitter', () => {
    expect(jenkins(wrappers.jenkins, shape)).toEqual([]);
  });

  it('Jenkins: removing the submitter is caught', () => {
    const mutated = wrappers.jenkins.replace(/^\s+submitter '[^']+'\n/m, '');
    expect(mutated).not.toBe(wrappers.jenkins);
    expect(jenkins(mutated, shape)).toContainEqual(expect.stringMatching(/input without a submitter/));
  });
});

describe('approval gates in the shared integration', () => {
  const shape = shapes.current;
  const committed = read('.github/workflows/gantry.yml');

  it('GitHub: the reusable approval workflow with an optional or defaulted environment input is caught', () => {
    const workflow = read(GITHUB_APPROVE_WORKFLOW);
    const optional = workflow.replace(
      /(environment:\n\s+description: [^\n]+\n\s+)required: true/,
      '$1required: false\n        default: ""',
    );
    expect(optional).not.toBe(workflow);
    const problems = github(committed, shape, (p) => (p === GITHUB_APPROVE_WORKFLOW ? optional : read(p)));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/environment input is not required/),
        expect.stringMatching(/environment input has a default/),
      ]),
    );
  });

  it("GitHub: the reusable workflow's job no longer running in the input environment is caught", () => {
    const workflow = read(GITHUB_APPROVE_WORKFLOW);
    const ungated = workflow.replace(`    environment: ${gh('inputs.environment')}\n`, '');
    expect(ungated).not.toBe(workflow);
    expect(
      github(committed, shape, (p) => (p === GITHUB_APPROVE_WORKFLOW ? ungated : read(p))),
    ).toContainEqual(expect.stringMatching(/does not run in inputs.environment/));
  });

  it('GitLab: removing when: manual from the component approval template is caught', () => {
    const component = read(GITLAB_COMPONENT);
    const automatic = component.replace(/(\.gantry:approve:[\s\S]*?)\n\s+when: manual/, '$1');
    expect(automatic).not.toBe(component);
    const problems = gitlab(read('.gitlab-ci.yml'), shape, (p) =>
      p === GITLAB_COMPONENT ? automatic : read(p),
    );
    expect(problems).toContainEqual(expect.stringMatching(/without when: manual/));
  });

  it('GitLab: a job overriding the template rules without when: manual is caught', () => {
    const main = read('.gitlab-ci.yml').replace(
      '  extends: .gantry:approve\n',
      '  extends: .gantry:approve\n  rules:\n    - if: $CI_COMMIT_BRANCH\n',
    );
    expect(gitlab(main, shape)).toContainEqual(expect.stringMatching(/without when: manual/));
  });

  it('GitLab: allow_failure: true (later jobs would not wait) is caught', () => {
    const main = read('.gitlab-ci.yml').replace(
      '  extends: .gantry:approve\n',
      '  extends: .gantry:approve\n  allow_failure: true\n',
    );
    expect(gitlab(main, shape)).toContainEqual(expect.stringMatching(/allow_failure is not false/));
  });

  it('Jenkins: removing the whole input directive is caught', () => {
    const jenkinsfile = read('Jenkinsfile');
    const mutated = jenkinsfile.replace(/\s+input \{[^}]*\}/, '');
    expect(mutated).not.toBe(jenkinsfile);
    expect(jenkins(mutated, shape)).toContainEqual(expect.stringMatching(/no input directive/));
  });
});
