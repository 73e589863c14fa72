/**
 * The committed wrappers are what `gantry ci generate` makes from this repository's pipeline (`gantry ci
 * check`, run here so that `npm test` catches a hand edit), and the three make the same `gantry run` per
 * phase, which together run every stage exactly once in the order `gantry plan --format json` gives.
 */

import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ciCommand } from '../../src/cli/commands/ci.ts';
import type { CommandContext } from '../../src/cli/commands/command.ts';
import { planCommand } from '../../src/cli/commands/plan.ts';
import { InputError } from '../../src/core/errors.ts';
import { standardStages } from '../../src/stages/standard.ts';
import { currentShape } from './support/current.ts';
import {
  githubInvocations,
  gitlabInvocations,
  type Invocation,
  jenkinsInvocations,
} from './support/invocations.ts';
import { repoRoot } from './support/repo.ts';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const WRAPPERS = {
  github: '.github/workflows/gantry.yml',
  gitlab: '.gitlab-ci.yml',
  jenkins: 'Jenkinsfile',
} as const;
const sources = {
  github: read(WRAPPERS.github),
  gitlab: read(WRAPPERS.gitlab),
  jenkins: read(WRAPPERS.jenkins),
};
const derive = {
  github: (src: string) => githubInvocations(src),
  gitlab: (src: string) => gitlabInvocations(src, read),
  jenkins: (src: string) => jenkinsInvocations(src),
};

function context(args: string[], cwd: string, out: string[]): CommandContext {
  return {
    args,
    env: {},
    cwd,
    definition: { stages: standardStages() },
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    isTTY: false,
    debug: false,
  };
}

/** `gantry plan --format json <selection>`: the stages in dependency order. */
async function planOrder(selection: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  expect(await planCommand.run(context(['--format', 'json', ...selection], repoRoot, out))).toBe(0);
  return (JSON.parse(out.join('')) as { order: string[] }).order;
}

const sequence = (invocations: Invocation[]) => invocations.map((i) => i.argv.join(' '));

describe('gantry ci check on this repository', () => {
  const temps: string[] = [];
  afterAll(async () => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

  const keep = (t: string) => t;
  /** A copy of the files ci check reads, with one wrapper edited. */
  async function copyWith(path: string, edit: (text: string) => string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-ci-check-'));
    temps.push(dir);
    for (const file of ['gantry.yaml', ...Object.values(WRAPPERS)])
      await cp(join(repoRoot, file), join(dir, file));
    const before = await readFile(join(dir, path), 'utf8');
    const after = edit(before);
    if (edit !== keep) expect(after).not.toBe(before);
    await writeFile(join(dir, path), after);
    return dir;
  }

  it('the committed wrappers are exactly what gantry ci generate makes', async () => {
    const out: string[] = [];
    expect(await ciCommand.run(context(['check'], repoRoot, out))).toBe(0);
    expect(out.join('')).toMatch(/github, gitlab, jenkins up to date/);
  });

  it.each([
    [
      'github',
      WRAPPERS.github,
      (t: string) => t.replace('      environment: production\n', '      environment: staging\n'),
    ],
    ['gitlab', WRAPPERS.gitlab, (t: string) => t.replace('    action: prepare\n', '')],
    [
      'jenkins',
      WRAPPERS.jenkins,
      (t: string) => t.replace("submitter 'production-approvers'", "submitter 'anyone'"),
    ],
  ])(
    'a hand edit of the %s wrapper fails the check (exit 2) and shows the differing line',
    async (platform, path, edit) => {
      const dir = await copyWith(path, edit);
      const error = await ciCommand.run(context(['check', platform], dir, [])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe('CI_DRIFT');
      expect((error as InputError).message).toMatch(
        new RegExp(`${path.replace('.', '\\.')} \\(${platform}\\):\\nline \\d+:\\n  - `),
      );
      expect((error as InputError).hint).toMatch(/gantry ci generate <platform> --write/);
    },
  );

  it('a pinned wrapper is checked with the options its header names', async () => {
    const dir = await copyWith(WRAPPERS.gitlab, keep);
    const sha = 'b'.repeat(40);
    const out: string[] = [];
    expect(
      await ciCommand.run(
        context(['generate', 'github', '--write', '--ref', sha, '--tag', 'v9.9.9'], dir, out),
      ),
    ).toBe(0);
    expect(await readFile(join(dir, WRAPPERS.github), 'utf8')).toContain(
      `uses: gantry-ci/gantry@${sha} # v9.9.9`,
    );
    expect(await ciCommand.run(context(['check', 'github'], dir, out))).toBe(0);
  });
});

describe('CI wrapper parity', async () => {
  const allStages = await planOrder([]);
  const phases = (await currentShape()).phases.map((p) => p.name);

  it.each(Object.keys(sources))('%s makes one gantry run per phase, in phase order', (platform) => {
    const key = platform as keyof typeof sources;
    expect(sequence(derive[key](sources[key]))).toEqual(phases.map((p) => `run --phase ${p}`));
  });

  it.each(Object.keys(sources))('%s runs every stage once, in gantry plan order', async (platform) => {
    const key = platform as keyof typeof sources;
    const runs = derive[key](sources[key]).filter((i) => i.argv[0] === 'run');
    const perRun = await Promise.all(runs.map((i) => planOrder(i.argv.slice(1))));
    expect(perRun.flat()).toEqual(allStages);
  });

  it('fails when a job no longer waits for the phase before', () => {
    expect(() =>
      githubInvocations(sources.github.replace(/needs:\n {6}- approve/, 'needs:\n      - release')),
    ).toThrow(/promote does not wait for approve/);
    expect(() =>
      gitlabInvocations(sources.gitlab.replace('    - gantry:approve\n', '    - gantry:release\n'), read),
    ).toThrow(/gantry:promote does not wait for gantry:approve/);
  });
});
