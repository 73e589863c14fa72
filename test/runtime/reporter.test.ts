import { afterEach, describe, expect, it, vi } from 'vitest';
import { githubAdapter } from '../../src/core/platforms/github.ts';
import { localAdapter } from '../../src/core/platforms/local.ts';
import { createReporter } from '../../src/runtime/reporter.ts';

afterEach(() => vi.useRealTimers());

describe('createReporter', () => {
  it('buffers each concurrent stage and prints it as one group when it ends', () => {
    const out: string[] = [];
    const r = createReporter(githubAdapter, (l) => out.push(l));
    r.onEvent({ kind: 'started', stage: 'test' });
    r.onEvent({ kind: 'started', stage: 'scan' });
    r.log('test', 't1');
    r.log('scan', 's1');
    r.log('test', 't2');
    r.onEvent({ kind: 'passed', stage: 'scan', durationMs: 1000 });
    r.onEvent({ kind: 'failed', stage: 'test', durationMs: 2000, message: 'boom', exitCode: 1 });
    r.close();
    expect(out).toEqual([
      '▶ test',
      '▶ scan',
      '::group::✔ scan passed in 1.0s',
      's1',
      '::endgroup::',
      '::group::✖ test failed after 2.0s: boom',
      't1',
      't2',
      '::endgroup::',
    ]);
  });

  it('prints heartbeat lines outside the groups while a stage runs long', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const out: string[] = [];
    const r = createReporter(githubAdapter, (l) => out.push(l));
    r.onEvent({ kind: 'started', stage: 'build' });
    r.log('build', 'layer 1');
    vi.advanceTimersByTime(120_000);
    r.onEvent({ kind: 'passed', stage: 'build', durationMs: 120_000 });
    vi.advanceTimersByTime(60_000);
    r.close();
    expect(out.filter((l) => l.startsWith('…'))).toEqual([
      '… build still running (30s)',
      '… build still running (1m)',
      '… build still running (1m 30s)',
      '… build still running (2m)',
    ]);
    const group = out.indexOf('::group::✔ build passed in 120.0s');
    expect(group).toBeGreaterThan(out.indexOf('… build still running (2m)'));
    expect(out.slice(group)).toEqual(['::group::✔ build passed in 120.0s', 'layer 1', '::endgroup::']);
  });

  it('prints lines live on a terminal, and counts annotations beyond the limit', () => {
    const out: string[] = [];
    const r = createReporter(localAdapter, (l) => out.push(l));
    r.onEvent({ kind: 'started', stage: 'deps' });
    r.log('deps', 'npm ci');
    expect(out).toEqual(['▶ deps', '  [deps] npm ci']);
    const gh: string[] = [];
    const many = Array.from({ length: 12 }, (_, i) => ({
      level: 'error' as const,
      title: `t${i}`,
      message: 'm',
    }));
    expect(createReporter(githubAdapter, (l) => gh.push(l)).annotate(many)).toBe(2);
    expect(gh.filter((l) => l.startsWith('::error'))).toHaveLength(10);
    expect(gh.at(-1)).toContain('2 more finding(s) not annotated (2 error, 0 warning, 0 notice)');
    r.close();
  });
});
