/**
 * Issue 12 item 3: on a second run of an unchanged repository, Dagger's cache must answer deps and test, and
 * must NOT answer scans, `cosign verify`, the Argo CD status or deploys (Dagger docs, cookbook "Invalidate
 * cache": changes in mounted cache volumes do not invalidate the layer cache; the fix is a per-run variable,
 * src/dagger/fresh.ts). The wire-test engine runs an exec once per distinct chain, like Dagger's cache, so the
 * execs it records during the second run are exactly what a real engine would run again.
 */
import { describe, expect, it } from 'vitest';
import { type ExecKind, MUST_BE_FRESH, measureRerun, PER_RUN_BY_DESIGN } from '../../bench/rerun.ts';

describe('second run of an unchanged repository (bench figure)', () => {
  it('re-executes exactly the must-be-fresh execs, all of them, and nothing else', async () => {
    const r = await measureRerun();
    const reran = Object.keys(r.rerunByKind) as ExecKind[];
    // What re-ran is exactly the must-be-fresh set (plus signing with a key generated per run).
    expect(new Set(reran)).toEqual(new Set([...MUST_BE_FRESH, ...PER_RUN_BY_DESIGN]));
    // Each must-be-fresh exec of the first run ran again: none was answered from the first run's cache.
    for (const kind of MUST_BE_FRESH) expect(r.rerunByKind[kind], kind).toBe(r.firstByKind[kind]);
    // Deps and test ran in the first run and stayed cached in the second.
    for (const kind of ['deps', 'test'] as const) {
      expect(r.firstByKind[kind], kind).toBeGreaterThan(0);
      expect(r.rerunByKind[kind], kind).toBeUndefined();
    }
    expect(r.secondRun).toBeLessThan(r.firstRun);
  }, 120_000);
});
