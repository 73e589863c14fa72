import { describe, expect, it } from 'vitest';
import { buildGraph, dependencies, type GraphNode, selectStages } from '../../src/core/graph.ts';

const node = (name: string, phase: string, needs: string[] = [], always = false): GraphNode => ({
  name,
  phase,
  needs,
  always,
});

/** A user pipeline: standard-shaped stages plus lint, migrate, an integration phase and an always notify. */
const NODES = [
  node('notify', 'promote', [], true),
  node('checkout', 'verify'),
  node('deps', 'verify', ['checkout']),
  node('lint', 'verify', ['deps']),
  node('test', 'verify', ['deps']),
  node('scan', 'verify', ['deps']),
  node('build', 'release', ['test', 'scan', 'lint']),
  node('deploy-staging', 'release', ['build']),
  node('migrate', 'release', ['deploy-staging']),
  node('integration', 'integration', ['migrate']),
  node('approve-production', 'approve', ['integration']),
  node('deploy-production', 'promote', ['approve-production']),
];
// Built in each test, not at import: a broken buildGraph then fails the tests instead of the file's import,
// which the mutation run's vitest runner does not count as a failure.
const graph = () => buildGraph(NODES);
const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

describe('buildGraph', () => {
  it('orders stages by their needs, always stages last, and phases by first use', () => {
    const { stages, phases } = graph();
    expect(names(stages)).toEqual([
      'checkout',
      'deps',
      'lint',
      'test',
      'scan',
      'build',
      'deploy-staging',
      'migrate',
      'integration',
      'approve-production',
      'deploy-production',
      'notify',
    ]);
    expect(phases).toEqual(['verify', 'release', 'integration', 'approve', 'promote']);
  });

  it.each([
    ['a duplicate name', [node('a', 'p'), node('a', 'p')], /two stages are named "a"/],
    ['an unknown need', [node('a', 'p', ['nope'])], /needs "nope", which is not in the pipeline/],
    ['a stage needing itself', [node('a', 'p', ['a'])], /a needs itself/],
    [
      'a cycle',
      [node('a', 'p', ['c']), node('b', 'p', ['a']), node('c', 'p', ['b'])],
      /cycle: a → c → b → a/,
    ],
    ['a bad name', [node('Build!', 'p')], /not a DNS label/],
    ['a stage needing an always stage', [node('n', 'p', [], true), node('a', 'p', ['n'])], /always stage/],
    [
      'phases against the needs',
      [node('a', 'late', []), node('b', 'early', ['a'])],
      /phase early\) needs a, which runs in the later phase late/,
    ],
  ])('refuses %s with exit 2', (_what, nodes, message) => {
    const order = _what === 'phases against the needs' ? ['early', 'late'] : undefined;
    let caught: unknown;
    try {
      buildGraph(nodes, order);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'DEFINITION_INVALID', exitCode: 2 });
    expect((caught as Error).message).toMatch(message);
  });

  it('refuses a phase missing from an explicit phase order', () => {
    expect(() => buildGraph([node('a', 'x')], ['y'])).toThrow(/phase x is used by a stage but not listed/);
  });
});

describe('selectStages', () => {
  it('selects every stage by default, always stages included', () => {
    expect(selectStages(graph())).toEqual(names(graph().stages));
  });

  it('--phase selects the stages of that phase', () => {
    expect(selectStages(graph(), { phase: 'release' })).toEqual(['build', 'deploy-staging', 'migrate']);
    expect(selectStages(graph(), { phase: 'promote' })).toEqual(['deploy-production', 'notify']);
  });

  it('--from S selects S and every stage that depends on it, directly or not', () => {
    expect(selectStages(graph(), { from: 'migrate' })).toEqual([
      'migrate',
      'integration',
      'approve-production',
      'deploy-production',
    ]);
    // lint feeds build, so everything from build on depends on it; test and scan do not.
    expect(selectStages(graph(), { from: 'lint' })).not.toContain('test');
  });

  it('--until S selects S and every stage it depends on', () => {
    expect(selectStages(graph(), { until: 'build' })).toEqual([
      'checkout',
      'deps',
      'lint',
      'test',
      'scan',
      'build',
    ]);
  });

  it('--only and the always switches', () => {
    expect(selectStages(graph(), { only: ['scan', 'checkout'] })).toEqual(['checkout', 'scan']);
    expect(selectStages(graph(), { always: 'only' })).toEqual(['notify']);
    expect(selectStages(graph(), { phase: 'promote', always: 'skip' })).toEqual(['deploy-production']);
  });

  it.each([
    ['--only', { only: ['nope'] }, 'UNKNOWN_STAGE'],
    ['--from', { from: 'nope' }, 'UNKNOWN_STAGE'],
    ['--until', { until: 'nope' }, 'UNKNOWN_STAGE'],
    ['--phase', { phase: 'nope' }, 'UNKNOWN_PHASE'],
  ])('an unknown name in %s exits 2', (_flag, selection, code) => {
    expect(() => selectStages(graph(), selection)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });

  it('an empty intersection exits 2', () => {
    expect(() => selectStages(graph(), { phase: 'verify', from: 'build' })).toThrow(
      expect.objectContaining({ code: 'EMPTY_SELECTION', exitCode: 2 }),
    );
  });
});

describe('selection refusals name what is allowed (guards the hints the mutation run found unchecked)', () => {
  it.each([
    ['--only', { only: ['checkout', 'nope'] }, /--only: unknown stage "nope"/],
    ['--from', { from: 'nope' }, /--from: unknown stage "nope"/],
    ['--until', { until: 'nope' }, /--until: unknown stage "nope"/],
  ] as const)('%s nope: the message names the flag, the hint the stages', (_flag, selection, message) => {
    expect(() => selectStages(graph(), selection)).toThrow(message);
    expect(() => selectStages(graph(), selection)).toThrow(
      expect.objectContaining({ exitCode: 2, hint: expect.stringContaining('checkout, deps') }),
    );
  });

  it('--phase nope: the hint names the phases', () => {
    expect(() => selectStages(graph(), { phase: 'nope' })).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_PHASE',
        exitCode: 2,
        hint: expect.stringContaining('verify, release'),
      }),
    );
  });

  it('an empty --only is an empty selection, not "all", and the hint points at gantry plan', () => {
    expect(() => selectStages(graph(), { only: [] })).toThrow(
      expect.objectContaining({
        code: 'EMPTY_SELECTION',
        exitCode: 2,
        hint: expect.stringContaining('gantry plan'),
      }),
    );
  });
});

/** Refusal details the mutation run (reports/mutation/) found unchecked: exact messages and hints. */
describe('buildGraph refusals say exactly what is wrong and how to fix it', () => {
  const refusal = (nodes: GraphNode[], order?: string[]) => {
    try {
      buildGraph(nodes, order);
    } catch (error) {
      return error as { code: string; message: string; hint: string };
    }
    throw new Error('expected a refusal');
  };
  const HINT = 'fix the stage list in pipeline/main.ts (gantry plan shows the graph)';

  it('a duplicate name, a self need and an always need point at pipeline/main.ts', () => {
    expect(refusal([node('a', 'p'), node('a', 'p')]).hint).toBe(HINT);
    expect(refusal([node('a', 'p', ['a'])]).hint).toBe(HINT);
    expect(refusal([node('n', 'p', [], true), node('a', 'p', ['n'])])).toMatchObject({
      message: 'pipeline definition: stage a needs n, an always stage (always stages run last)',
      hint: HINT,
    });
  });

  it('a bad stage name or phase name is not a DNS label', () => {
    expect(refusal([node('Build!', 'p')])).toMatchObject({
      code: 'DEFINITION_INVALID',
      message: 'pipeline definition: stage name "Build!" is not a DNS label',
      hint: 'use lowercase letters, digits and dashes',
    });
    expect(refusal([node('build', 'release_1')])).toMatchObject({
      code: 'DEFINITION_INVALID',
      message: 'pipeline definition: stage build: phase "release_1" is not a DNS label',
      hint: 'use lowercase letters, digits and dashes',
    });
  });

  it.each(['build!', 'build-', '-build', 'a'.repeat(64), 'build stage'])(
    'the whole name must be a DNS label: %j',
    (name) => {
      expect(refusal([node(name, 'p')]).code).toBe('DEFINITION_INVALID');
      expect(refusal([node('build', name)]).code).toBe('DEFINITION_INVALID');
    },
  );

  it('a DNS label of 63 characters is a name', () => {
    expect(buildGraph([node('a'.repeat(63), 'b'.repeat(63))]).stages).toHaveLength(1);
  });

  it('an unknown need lists every stage', () => {
    expect(refusal([node('a', 'p'), node('b', 'p', ['nope'])]).hint).toBe('use one of: a, b');
  });

  it('a cycle is named from where it closes, not from where the walk began', () => {
    const nodes = [
      node('x', 'p', ['a']),
      node('a', 'p', ['c']),
      node('b', 'p', ['a']),
      node('c', 'p', ['b']),
    ];
    expect(refusal(nodes)).toMatchObject({
      message: 'pipeline definition: the needs form a cycle: a → c → b → a',
      hint: HINT,
    });
  });

  it('phases against the needs, and phases missing from the order, say how to fix them', () => {
    expect(refusal([node('a', 'late', []), node('b', 'early', ['a'])], ['early', 'late']).hint).toBe(
      'move one of the stages to another phase, or reorder `phases`',
    );
    expect(refusal([node('a', 'x'), node('b', 'y'), node('c', 'z')], ['z'])).toMatchObject({
      message: 'pipeline definition: phase x, y is used by a stage but not listed in `phases`',
      hint: 'add it to `phases`',
    });
  });

  it('an explicit phase order keeps its order and leaves out phases no stage uses', () => {
    const g = buildGraph(
      [node('a', 'early'), node('b', 'late', ['a'])],
      ['setup', 'early', 'unused', 'late'],
    );
    expect(g.phases).toEqual(['early', 'late']);
  });

  it('always stages go last whatever their place in the list, and the others keep theirs', () => {
    const g = buildGraph([
      node('notify', 'p', [], true),
      node('b', 'p'),
      node('a', 'p'),
      node('c', 'p', ['a']),
    ]);
    expect(names(g.stages)).toEqual(['b', 'a', 'c', 'notify']);
  });
});

describe('selection details', () => {
  it('an unknown phase and an empty selection have exact messages', () => {
    expect(() => selectStages(graph(), { phase: 'nope' })).toThrow('--phase: no stage is in phase "nope"');
    expect(() => selectStages(graph(), { phase: 'verify', from: 'build' })).toThrow(
      'the selection matches no stage',
    );
  });

  it('--until walks each stage once, also through a deep diamond of needs', () => {
    // 40 layers of two stages, each needing both of the layer before: 2^40 paths, 80 stages
    const nodes: GraphNode[] = [];
    for (let layer = 0; layer < 40; layer++) {
      const needs = layer === 0 ? [] : [`l${layer - 1}a`, `l${layer - 1}b`];
      nodes.push(node(`l${layer}a`, 'p', needs), node(`l${layer}b`, 'p', needs));
    }
    expect(selectStages(buildGraph(nodes), { until: 'l39a' })).toHaveLength(79);
  });

  it('the dependencies of a name the graph does not hold are just that name', () => {
    expect([...dependencies(graph(), 'nope')]).toEqual(['nope']);
  });
});
