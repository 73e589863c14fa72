import { describe, expect, it } from 'vitest';
import { NEEDS, PHASES, phaseOf, STAGES, selectStages } from '../../src/core/graph.ts';

describe('stage graph', () => {
  it('lists every stage after the stages it needs', () => {
    for (const stage of STAGES) {
      for (const need of NEEDS[stage]) expect(STAGES.indexOf(need)).toBeLessThan(STAGES.indexOf(stage));
    }
  });

  it('puts every stage in exactly one phase', () => {
    const all = Object.values(PHASES).flat();
    expect([...all].sort()).toEqual([...STAGES].sort());
    expect(phaseOf('sign')).toBe('release');
  });
});

describe('selectStages', () => {
  it('selects all nine stages by default', () => {
    expect(selectStages()).toEqual([...STAGES]);
  });

  it('selects a phase', () => {
    expect(selectStages({ phase: 'verify' })).toEqual(['checkout', 'deps', 'test', 'scan']);
    expect(selectStages({ phase: 'promote' })).toEqual(['deploy-production']);
  });

  it('keeps dependency order whatever the order of --only', () => {
    expect(selectStages({ only: ['test', 'checkout', 'deps'] })).toEqual(['checkout', 'deps', 'test']);
  });

  it('combines --from and --until', () => {
    expect(selectStages({ from: 'scan', until: 'sign' })).toEqual(['scan', 'build', 'sign']);
    expect(selectStages({ phase: 'release', from: 'sign' })).toEqual(['sign', 'deploy-staging']);
  });

  it('rejects unknown names and empty selections with exit 2', () => {
    expect(() => selectStages({ only: ['tests'] })).toThrow(/unknown stage "tests"/);
    expect(() => selectStages({ phase: 'ship' })).toThrow(/unknown phase "ship"/);
    expect(() => selectStages({ phase: 'verify', from: 'build' })).toThrow(/matches no stage/);
    try {
      selectStages({ until: 'nope' });
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2, hint: expect.stringContaining('checkout, deps') });
    }
  });
});
