import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS } from '../../../src/core/config/scan.ts';
import {
  defaultRuleSets,
  parseRuleSetEntry,
  ruleFileMountPath,
  semgrepRuleFiles,
} from '../../../src/core/security/semgrep-rules.ts';

const custom = { image: 'eclipse-temurin:21.0.5_11-jdk', install: [], test: [], cache: [] };

describe('Semgrep rule selection', () => {
  it('defaults to generic and dockerfile plus the set of each toolchain preset', () => {
    expect(defaultRuleSets([{ toolchain: 'node' }])).toEqual(['generic', 'dockerfile', 'javascript']);
    expect(defaultRuleSets([{ toolchain: 'go' }, { toolchain: 'python' }, { toolchain: 'go' }])).toEqual([
      'generic',
      'dockerfile',
      'python',
      'go',
    ]);
  });

  it('gives a custom toolchain, whose language it cannot know, every built-in set', () => {
    expect(defaultRuleSets([{ toolchain: 'python' }, { toolchain: custom }])).toEqual([...BUILTIN_RULE_SETS]);
  });

  it('replaces the default with the configured list, in its order, each file once', () => {
    const refs = semgrepRuleFiles({ rules: ['./semgrep/team.yaml', 'builtin:java', 'semgrep/team.yaml'] }, [
      { toolchain: 'node' },
    ]);
    expect(refs).toEqual([
      { kind: 'repo', path: 'semgrep/team.yaml' },
      { kind: 'builtin', set: 'java' },
    ]);
    expect(refs.map(ruleFileMountPath)).toEqual(['repo/semgrep/team.yaml', 'builtin/java.yaml']);
  });

  it('uses the default when gantry.yaml names no rules', () => {
    expect(semgrepRuleFiles({}, [{ toolchain: 'python' }]).map(ruleFileMountPath)).toEqual([
      'builtin/generic.yaml',
      'builtin/dockerfile.yaml',
      'builtin/python.yaml',
    ]);
  });

  it('normalizes repository paths', () => {
    expect(parseRuleSetEntry('./a/./b/../c.yml')).toEqual({ kind: 'repo', path: 'a/c.yml' });
    expect(parseRuleSetEntry('builtin:dockerfile')).toEqual({ kind: 'builtin', set: 'dockerfile' });
  });
});
