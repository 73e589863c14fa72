import { describe, expect, it } from 'vitest';
import { ganttChart, mermaidLabel, type StageTiming } from '../../../src/core/reports/gantt.ts';
import { parseGantt } from '../../support/mermaid.ts';

const T0 = Date.parse('2026-12-02T03:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('ganttChart (parsed by Mermaid)', () => {
  it('draws one section per phase and one task per stage that ran, with its status and timing', async () => {
    const stages: StageTiming[] = [
      { name: 'build', phase: 'release', status: 'passed', startedAt: at(9000), durationMs: 4000 },
      { name: 'checkout', phase: 'verify', status: 'passed', startedAt: at(0), durationMs: 1200 },
      { name: 'scan', phase: 'verify', status: 'blocked', startedAt: at(1200), durationMs: 7000.4 },
      { name: 'deploy-staging', phase: 'release', status: 'failed', startedAt: at(13000), durationMs: 0 },
      { name: 'approve', phase: 'approve', status: 'skipped', startedAt: at(13000), durationMs: 0 },
    ];
    const tasks = await parseGantt(ganttChart(stages));
    expect(
      tasks.map((t) => [
        t.section,
        t.task,
        t.startTime.getTime() - T0,
        t.endTime.getTime() - T0,
        t.done ? 'done' : t.crit ? 'crit' : 'other',
      ]),
    ).toEqual([
      ['verify', 'checkout', 0, 1200, 'done'],
      ['verify', 'scan', 1200, 8200, 'crit'],
      ['release', 'build', 9000, 13000, 'done'],
      ['release', 'deploy-staging', 13000, 13000, 'crit'],
    ]);
  });

  it('keeps any stage or phase name a task or a section, whatever its characters', async () => {
    // Names that Mermaid's gantt lexer reads as statements or separators when written as they are
    // (mermaid 11.17.2 ganttDiagram lexer rules: `section\s`, `title\s`, `click\s`, `excludes\s`, `%` …, `:`, `#`, `;`).
    const names = [
      'db:migrate',
      'a#b;c',
      'section',
      'title x',
      'click',
      'excludes x',
      'dateFormat x',
      'weekday monday',
      '%% comment',
      '2026-12-02-smoke',
      'notify, crit',
      'multi\nline',
      'ünïcode',
      '',
    ];
    const stages = names.map((name, i) => ({
      name,
      phase: i % 2 ? 'section: x;y' : 'custom phase',
      status: 'passed',
      startedAt: at(i * 1000),
      durationMs: 500,
    }));
    const chart = ganttChart(stages);
    const tasks = await parseGantt(chart);
    // Mermaid lists tasks section by section; the names, not their order, are the point here.
    expect(tasks.map((t) => t.task).sort()).toEqual(
      names.map((n) => n.replace(/\s+/g, ' ').trim() || 'unnamed').sort(),
    );
    expect(new Set(tasks.map((t) => t.section))).toEqual(new Set(['custom phase', 'section: x;y']));
    expect(tasks.every((t) => t.done && !t.crit)).toBe(true);
  });

  it('without the escaping, the same names break the chart (so the test above can fail)', async () => {
    const raw = 'gantt\n  dateFormat x\n  section verify\n  db:migrate :done, t0, 1, 2\n';
    // `mermaid.parse` alone accepts this line (task "db", data "migrate :done, …"); Mermaid fails when it
    // builds the tasks to draw them, which is why parseGantt goes through the gantt database too.
    await expect(parseGantt(raw)).rejects.toThrow();
    const keyword = 'gantt\n  dateFormat x\n  section verify\n  click :done, t0, 1, 2\n';
    await expect(parseGantt(keyword)).rejects.toThrow(/Parse error/);
    expect(mermaidLabel('db:migrate')).toBe('db#58;migrate');
    expect(mermaidLabel('click')).toBe('#99;lick');
  });

  it('is empty when no stage ran, and ignores stages without a valid start', () => {
    expect(ganttChart([])).toBe('');
    expect(
      ganttChart([
        { name: 'scan', phase: 'verify', status: 'skipped', startedAt: at(0), durationMs: 0 },
        { name: 'test', phase: 'verify', status: 'passed', startedAt: 'not a date', durationMs: 1 },
      ]),
    ).toBe('');
  });
});
