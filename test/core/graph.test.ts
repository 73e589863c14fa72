import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphNode, selectStages } from '../../src/core/graph.ts';

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
const graph = buildGraph(NODES);
const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

describe('buildGraph', () => {
  it('orders stages by their needs, always stages last, and phases by first use', () => {
    expect(names(graph.stages)).toEqual([
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
    expect(graph.phases).toEqual(['verify', 'release', 'integration', 'approve', 'promote']);
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
    expect(selectStages(graph)).toEqual(names(graph.stages));
  });

  it('--phase selects the stages of that phase', () => {
    expect(selectStages(graph, { phase: 'release' })).toEqual(['build', 'deploy-staging', 'migrate']);
    expect(selectStages(graph, { phase: 'promote' })).toEqual(['deploy-production', 'notify']);
  });

  it('--from S selects S and every stage that depends on it, directly or not', () => {
    expect(selectStages(graph, { from: 'migrate' })).toEqual([
      'migrate',
      'integration',
      'approve-production',
      'deploy-production',
    ]);
    // lint feeds build, so everything from build on depends on it; test and scan do not.
    expect(selectStages(graph, { from: 'lint' })).not.toContain('test');
  });

  it('--until S selects S and every stage it depends on', () => {
    expect(selectStages(graph, { until: 'build' })).toEqual([
      'checkout',
      'deps',
      'lint',
      'test',
      'scan',
      'build',
    ]);
  });

  it('--only and the always switches', () => {
    expect(selectStages(graph, { only: ['scan', 'checkout'] })).toEqual(['checkout', 'scan']);
    expect(selectStages(graph, { always: 'only' })).toEqual(['notify']);
    expect(selectStages(graph, { phase: 'promote', always: 'skip' })).toEqual(['deploy-production']);
  });

  it.each([
    ['--only', { only: ['nope'] }, 'UNKNOWN_STAGE'],
    ['--from', { from: 'nope' }, 'UNKNOWN_STAGE'],
    ['--until', { until: 'nope' }, 'UNKNOWN_STAGE'],
    ['--phase', { phase: 'nope' }, 'UNKNOWN_PHASE'],
  ])('an unknown name in %s exits 2', (_flag, selection, code) => {
    expect(() => selectStages(graph, selection)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });

  it('an empty intersection exits 2', () => {
    expect(() => selectStages(graph, { phase: 'verify', from: 'build' })).toThrow(
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
    expect(() => selectStages(graph, selection)).toThrow(message);
    expect(() => selectStages(graph, selection)).toThrow(
      expect.objectContaining({ exitCode: 2, hint: expect.stringContaining('checkout, deps') }),
    );
  });

  it('--phase nope: the hint names the phases', () => {
    expect(() => selectStages(graph, { phase: 'nope' })).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_PHASE',
        exitCode: 2,
        hint: expect.stringContaining('verify, release'),
      }),
    );
  });

  it('an empty --only is an empty selection, not "all", and the hint points at gantry plan', () => {
    expect(() => selectStages(graph, { only: [] })).toThrow(
      expect.objectContaining({
        code: 'EMPTY_SELECTION',
        exitCode: 2,
        hint: expect.stringContaining('gantry plan'),
      }),
    );
  });
});
