import { describe, expect, it } from 'vitest';
import { newManifest } from '../../src/core/manifest/store.ts';
import { markdownSummary } from '../../src/runtime/summary.ts';
import { parseGantt } from '../support/mermaid.ts';

const T0 = Date.parse('2026-12-02T03:00:00.000Z');
const record = (
  status: 'passed' | 'failed' | 'skipped' | 'blocked',
  startMs: number,
  durationMs: number,
) => ({
  status,
  startedAt: new Date(T0 + startMs).toISOString(),
  durationMs,
});
const counts = (critical: number, high: number) => ({
  vulnerability: { CRITICAL: critical, HIGH: high, MEDIUM: 0, LOW: 1, UNKNOWN: 0 },
  secret: { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
});
const waivers = { applied: [], expired: [], unused: [] };

describe('markdownSummary pictures', () => {
  it('has a Gantt chart Mermaid parses, with every stage the manifest records, and findings by severity', async () => {
    const manifest = newManifest({ name: 'github' }, new Date(T0));
    manifest.stages = {
      checkout: record('passed', 0, 800),
      deps: record('passed', 800, 3000),
      scan: record('passed', 3800, 5000),
      build: record('failed', 8800, 12000),
      sign: record('skipped', 20800, 0),
      // A team's own stage: the summary knows no fixed list of stage names.
      'db-migrate': record('passed', 3800, 1500),
    };
    manifest.scan = { verdict: 'passed', counts: counts(0, 2), waivers, reports: [] };
    manifest.imageScan = { verdict: 'blocked', counts: counts(3, 0), waivers, reports: [] };
    const phases: Record<string, string> = { build: 'release', sign: 'release', 'db-migrate': 'migrations' };
    const md = markdownSummary(
      manifest,
      { events: [], exitCode: 1, durationMs: 20800 },
      (stage) => phases[stage] ?? 'verify',
    );

    const block = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1];
    expect(block).toBeDefined();
    const tasks = await parseGantt(block ?? '');
    expect(
      tasks.map((t) => [t.section, t.task, t.endTime.getTime() - t.startTime.getTime(), !!t.crit]),
    ).toEqual([
      ['verify', 'checkout', 800, false],
      ['verify', 'deps', 3000, false],
      ['verify', 'scan', 5000, false],
      // Sections come in order of their first start: migrations (3.8 s) before release (8.8 s).
      ['migrations', 'db-migrate', 1500, false],
      ['release', 'build', 12000, true],
    ]);
    const table = md.slice(md.indexOf('### Findings by severity'));
    expect(table).toContain('| severity | source scan | image scan |');
    expect(table).toContain('| critical | 1 | 4 |');
    expect(table).toContain('| high | 2 | 0 |');
    expect(table).toContain('| low | 1 | 1 |');
  });

  it('has no chart and no table when nothing ran or was scanned', () => {
    const md = markdownSummary(newManifest({ name: 'local' }), { events: [], exitCode: 0, durationMs: 0 });
    expect(md).not.toContain('```mermaid');
    expect(md).not.toContain('Findings by severity');
  });
});
