/**
 * Parity: the three wrappers make the same sequence of gantry invocations, and together they run every
 * stage exactly once in the order `gantry plan --format json` gives. Stage and phase data come from
 * pipeline/graph.ts through the real plan command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/commands/command.ts';
import { planCommand } from '../../src/cli/commands/plan.ts';
import { standardStages } from '../../src/stages/standard.ts';
import { phasesOf } from '../support/pipeline.ts';

const PHASES = phasesOf();

import {
  githubInvocations,
  gitlabInvocations,
  type Invocation,
  jenkinsInvocations,
} from './support/invocations.ts';
import { repoRoot } from './support/repo.ts';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const sources = {
  github: read('.github/workflows/gantry.yml'),
  gitlab: read('.gitlab-ci.yml'),
  jenkins: read('Jenkinsfile'),
};
const derive = {
  github: (src: string) => githubInvocations(src),
  gitlab: (src: string) => gitlabInvocations(src, read),
  jenkins: (src: string) => jenkinsInvocations(src),
};

/** `gantry plan --format json <selection>`: the stages in dependency order. */
async function planOrder(selection: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const ctx: CommandContext = {
    args: ['--format', 'json', ...selection],
    env: {},
    definition: { stages: standardStages() },
    cwd: repoRoot,
    stdout: (t) => out.push(t),
    stderr: () => {},
    isTTY: false,
    debug: false,
  };
  expect(await planCommand.run(ctx)).toBe(0);
  return (JSON.parse(out.join('')) as { order: string[] }).order;
}

/** The stages a wrapper runs, in order, each `gantry run` expanded through the plan. */
async function stagesRun(invocations: Invocation[]): Promise<string[]> {
  const runs = invocations.filter((i) => i.argv[0] === 'run');
  const perRun = await Promise.all(runs.map((i) => planOrder(i.argv.slice(1))));
  return perRun.flat();
}

const sequence = (invocations: Invocation[]) => invocations.map((i) => i.argv.join(' '));

describe('CI wrapper parity', async () => {
  const allStages = await planOrder([]);

  it('each wrapper runs one gantry invocation per phase, in phase order', () => {
    const expected = Object.keys(PHASES).map((phase) => `run --phase ${phase}`);
    for (const [platform, src] of Object.entries(sources)) {
      expect(sequence(derive[platform as keyof typeof derive](src)), platform).toEqual(expected);
    }
  });

  it('all three wrappers make the same invocations', () => {
    const [github, gitlab, jenkins] = (['github', 'gitlab', 'jenkins'] as const).map((p) =>
      sequence(derive[p](sources[p])),
    );
    expect(gitlab).toEqual(github);
    expect(jenkins).toEqual(github);
  });

  it.each(Object.keys(sources))('%s runs every stage once, in gantry plan order', async (platform) => {
    const key = platform as keyof typeof sources;
    expect(await stagesRun(derive[key](sources[key]))).toEqual(allStages);
  });

  describe('fails when a wrapper skips or reorders a stage', () => {
    const mutations: [string, keyof typeof sources, (src: string) => string][] = [
      ['github skips approve', 'github', (s) => s.replace('npx gantry run --phase approve', 'echo approved')],
      [
        'github narrows release',
        'github',
        (s) =>
          s.replace('run: npx gantry run --phase release', 'run: npx gantry run --only build,deploy-staging'),
      ],
      [
        'gitlab skips verify',
        'gitlab',
        (s) =>
          s.replace(
            'local: ci/gitlab/gantry.yml',
            'local: ci/gitlab/gantry.yml\ngantry:verify:\n  stage: verify\n  script: [echo skipped]',
          ),
      ],
      [
        'jenkins reorders release and approve',
        'jenkins',
        (s) =>
          s
            .replace("stage('release')", "stage('tmp')")
            .replace("stage('approve')", "stage('release')")
            .replace('npx gantry run --phase release', 'npx gantry run --phase APPROVE')
            .replace('npx gantry run --phase approve', 'npx gantry run --phase release')
            .replace('--phase APPROVE', '--phase approve'),
      ],
      [
        'jenkins skips promote',
        'jenkins',
        (s) => s.replace("sh 'npx gantry run --phase promote'", "echo 'promote'"),
      ],
    ];

    it.each(mutations)('%s', async (_name, platform, mutate) => {
      const mutated = mutate(sources[platform]);
      expect(mutated).not.toBe(sources[platform]);
      const invocations = derive[platform](mutated);
      const expected = derive.github(sources.github);
      const sameCalls = JSON.stringify(sequence(invocations)) === JSON.stringify(sequence(expected));
      const sameStages = JSON.stringify(await stagesRun(invocations)) === JSON.stringify(allStages);
      expect(sameCalls && sameStages).toBe(false);
    });

    it('github: promote no longer waiting for approve is rejected', () => {
      expect(() => githubInvocations(sources.github.replace('needs: approve', 'needs: release'))).toThrow(
        /promote does not wait for approve/,
      );
    });

    it('gitlab: promote needing only release (so it skips the manual approval) is rejected', () => {
      const template = read('ci/gitlab/gantry.yml').replace(
        'needs: [gantry:approve]',
        'needs: [gantry:release]',
      );
      expect(() =>
        gitlabInvocations(sources.gitlab, (p) => (p === 'ci/gitlab/gantry.yml' ? template : read(p))),
      ).toThrow(/gantry:promote does not wait for gantry:approve/);
    });

    it('gitlab: a job that needs a later stage is rejected', () => {
      const gitlabTemplate = read('ci/gitlab/gantry.yml').replace(
        'needs: [gantry:verify]',
        'needs: [gantry:promote]',
      );
      expect(() =>
        gitlabInvocations(sources.gitlab, (p) => (p === 'ci/gitlab/gantry.yml' ? gitlabTemplate : read(p))),
      ).toThrow(/needs gantry:promote from a later stage/);
    });
  });
});
