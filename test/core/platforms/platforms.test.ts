import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAdapter } from '../../../src/core/platforms/github.ts';
import { gitlabAdapter } from '../../../src/core/platforms/gitlab.ts';
import { logAdapter } from '../../../src/core/platforms/index.ts';
import { jenkinsAdapter } from '../../../src/core/platforms/jenkins.ts';
import { limitAnnotations } from '../../../src/core/platforms/types.ts';

const section = {
  stage: 'test',
  header: '✔ test passed in 1.0s',
  lines: ['npm test', '::set-output name=x::injected'],
  startedAt: new Date('2026-01-01T00:00:00Z'),
  endedAt: new Date('2026-01-01T00:01:00Z'),
};

describe('GitHub adapter', () => {
  // Escaping as in actions/toolkit packages/core/src/command.ts (escapeData, escapeProperty).
  it('escapes data (%, CR, LF) and properties (also : and ,) like the toolkit', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('writes ::error with title, file and line properties', () => {
    expect(
      githubAdapter.annotation({
        level: 'error',
        title: 'semgrep: rule,x',
        message: 'line one\nline two',
        file: 'src/a:b.ts',
        line: 12,
      }),
    ).toBe('::error title=semgrep%3A rule%2Cx,file=src/a%3Ab.ts,line=12::line one%0Aline two');
    expect(githubAdapter.annotation({ level: 'warning', title: 't', message: 'm' })).toBe(
      '::warning title=t::m',
    );
  });

  it('folds a stage into ::group:: … ::endgroup::, and a logged line cannot issue a workflow command', () => {
    expect(githubAdapter.section(section)).toEqual([
      '::group::✔ test passed in 1.0s',
      'npm test',
      ' ::set-output name=x::injected',
      '::endgroup::',
    ]);
  });

  // actions/toolkit docs/problem-matchers.md, "Limitations": 10 warning, 10 error and 10 notice annotations per step.
  it('shows the first 10 annotations of each level and counts the rest', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({
      level: 'error' as const,
      title: `e${i}`,
      message: 'm',
    }));
    const { shown, hidden } = limitAnnotations(
      [...many, { level: 'warning', title: 'w', message: 'm' }],
      githubAdapter.annotationLimit,
    );
    expect(shown.map((a) => a.title)).toEqual([...many.slice(0, 10).map((a) => a.title), 'w']);
    expect(hidden).toEqual({ error: 3, warning: 0, notice: 0 });
  });
});

describe('GitLab adapter', () => {
  // https://docs.gitlab.com/ci/jobs/job_logs/ "Custom collapsible sections":
  // \e[0Ksection_start:UNIX_TIMESTAMP:SECTION_NAME[collapsed=true]\r\e[0K<header> … \e[0Ksection_end:UNIX_TIMESTAMP:SECTION_NAME\r\e[0K
  it('delimits a collapsed section with the start and end timestamps', () => {
    expect(gitlabAdapter.section(section)).toEqual([
      '\u001b[0Ksection_start:1767225600:gantry_test[collapsed=true]\r\u001b[0K✔ test passed in 1.0s',
      'npm test',
      '::set-output name=x::injected',
      '\u001b[0Ksection_end:1767225660:gantry_test\r\u001b[0K',
    ]);
  });
});

describe('Jenkins adapter and detection', () => {
  it('prints a readable block per stage', () => {
    const lines = jenkinsAdapter.section(section);
    expect(lines[0]).toMatch(/^┌─ test ─+$/);
    expect(lines.slice(1, 3)).toEqual(['│ npm test', '│ ::set-output name=x::injected']);
    expect(lines[3]).toBe('└─ ✔ test passed in 1.0s');
  });

  it('picks the adapter from the variables each CI sets', () => {
    expect(logAdapter({ GITHUB_ACTIONS: 'true' }).name).toBe('github');
    expect(logAdapter({ GITLAB_CI: 'true' }).name).toBe('gitlab');
    expect(logAdapter({ JENKINS_URL: 'https://ci' }).name).toBe('jenkins');
    expect(logAdapter({}).name).toBe('local');
  });
});
