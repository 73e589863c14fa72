/**
 * action.yml against GitHub's action metadata schema. actionlint does not read action.yml, so this uses the
 * parser GitHub publishes with that schema: `@actions/workflow-parser` (`parseAction`, schema
 * `dist/action-v1.0.min.json`; notes/cosign-slsa-facts.md item 10: name, description and runs required; a
 * composite run step needs `shell`; `using` one of docker, node12…node24, composite).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './support/repo.ts';

/** A GitHub expression, `${{ … }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;

const source = readFileSync(join(repoRoot, 'action.yml'), 'utf8');

function schemaErrors(content: string): string[] {
  const result = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

type Step = { uses?: string; run?: string; shell?: string; with?: Record<string, string> };
const action = parse(source) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

describe('action.yml', () => {
  it('is valid action metadata (GitHub action schema)', () => {
    expect(schemaErrors(source)).toEqual([]);
  });

  it('the schema check fails on a broken copy: a run step without shell, an unknown runs.using, no description', () => {
    expect(
      schemaErrors(source.replace(/\n {6}shell: bash\n {6}run: npm ci/, '\n      run: npm ci')),
    ).not.toEqual([]);
    expect(schemaErrors(source.replace('using: composite', 'using: node99'))).not.toEqual([]);
    expect(schemaErrors(source.replace(/^description: .*\n/m, ''))).not.toEqual([]);
  });

  it('is a composite action with the inputs phase, config and engine, and the outputs manifest-hash and digests', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['phase', 'config', 'engine', 'no-publish']),
    );
    expect(Object.keys(action.outputs)).toEqual(['manifest-hash', 'digests']);
    // Composite outputs need a value (docs "Metadata syntax"; the schema does not enforce it).
    for (const output of Object.values(action.outputs))
      expect(output.value).toMatch(/^\$\{\{ steps\.\w+\.outputs\./);
  });

  it('pins every action it uses by full commit SHA', () => {
    const uses = action.runs.steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it('installs the locked Gantry and the Dagger CLI of the installed SDK, not a second pin', () => {
    const runs = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/npm ci/);
    expect(runs).toContain("require('./node_modules/@dagger.io/dagger/package.json').version");
    const dagger = action.runs.steps.find((s) => s.uses?.startsWith('dagger/dagger-for-github@'));
    expect(dagger?.with?.version).toBe(gh('steps.dagger.outputs.version'));
    expect(runs).toMatch(/npx --no-install gantry "\$@"/);
    expect(runs).toMatch(/--no-publish/);
    expect(runs).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });
});
