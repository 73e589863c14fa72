import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import { InputError } from '../../../src/core/errors.ts';

const config = (scan: string) =>
  `version: 1\nname: demo\ncomponents:\n  - name: api\n    toolchain: python\nscan:\n${scan}`;
const rejected = (scan: string) => {
  try {
    parseConfig(config(scan));
  } catch (error) {
    return error as InputError;
  }
  throw new Error(`accepted: ${scan}`);
};

describe('gantry.yaml scan.semgrep', () => {
  it('defaults to no rules list (the toolchain default) and no registry packs', () => {
    expect(parseConfig(config('  {}\n')).scan).toEqual({ semgrep: { registry: [] } });
    const { scan } = parseConfig('version: 1\nname: demo\ncomponents:\n  - name: api\n');
    expect(scan).toEqual({ semgrep: { registry: [] } });
  });

  it('accepts built-in sets, repository rule files and registry packs', () => {
    const { scan } = parseConfig(
      config(
        '  semgrep:\n    rules: [builtin:python, builtin:go, ./my-rules.yaml, .semgrep/team.yml]\n    registry: [p/ci, r/python.lang.security.audit.eval-detected]\n',
      ),
    );
    expect(scan.semgrep.rules).toEqual([
      'builtin:python',
      'builtin:go',
      './my-rules.yaml',
      '.semgrep/team.yml',
    ]);
    expect(scan.semgrep.registry).toEqual(['p/ci', 'r/python.lang.security.audit.eval-detected']);
  });

  it.each([
    '../rules.yaml',
    'a/../../rules.yaml',
    '/etc/semgrep.yaml',
    '~/rules.yaml',
    'C:/rules.yaml',
    'rules\\evil.yaml',
    'rules.json',
    'builtin:rust',
    'https://example.com/rules.yaml',
  ])('refuses the rules entry %s (exit 2), saying what is allowed', (entry) => {
    const error = rejected(`  semgrep:\n    rules: ["${entry.replace(/\\/g, '\\\\')}"]\n`);
    expect(error).toBeInstanceOf(InputError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('scan.semgrep.rules[0]');
    expect(error.message).toContain('builtin:generic');
    expect(error.message).toContain('inside the repository');
  });

  it.each(['auto', 'https://semgrep.dev/c/p/ci', 'p/../x', 'ci'])(
    'refuses the registry entry %s',
    (entry) => {
      const error = rejected(`  semgrep:\n    registry: ["${entry}"]\n`);
      expect(error.message).toContain('scan.semgrep.registry[0]');
    },
  );

  it('refuses an empty rules list without registry packs: Semgrep would fetch its own rules', () => {
    expect(rejected('  semgrep:\n    rules: []\n').message).toContain('without rules');
    expect(
      parseConfig(config('  semgrep:\n    rules: []\n    registry: [p/ci]\n')).scan.semgrep.rules,
    ).toEqual([]);
  });
});
