import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ApprovalError,
  ERROR_CODES,
  ExitCode,
  exitCodeOf,
  InputError,
  PolicyError,
  StageError,
} from '../../src/core/errors.ts';

const SRC = join(import.meta.dirname, '../../src');
const EXIT = { InputError: 2, StageError: 1, PolicyError: 3, ApprovalError: 4 } as const;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('error codes', () => {
  it('every code raised in src is in ERROR_CODES, with the exit code of the class that raises it', () => {
    const found: string[] = [];
    for (const file of sources(SRC).filter((f) => !f.endsWith('core/errors.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /new (InputError|StageError|PolicyError|ApprovalError)\(\s*'([A-Z0-9_]+)'/g,
      )) {
        const [, cls, code] = m as unknown as [string, keyof typeof EXIT, string];
        found.push(code);
        const mapped = (ERROR_CODES as Record<string, number>)[code];
        expect(mapped, `${relative(SRC, file)}: ${cls}('${code}') is not in ERROR_CODES`).toBeDefined();
        expect(mapped, `${relative(SRC, file)}: ${code} raised as ${cls}`).toBe(EXIT[cls]);
      }
    }
    expect(found.length).toBeGreaterThan(80);
  });

  it('a class takes only the codes of its exit code; a pipeline may use codes of its own', () => {
    // @ts-expect-error NOT_BY_DIGEST means exit 3 (policy): it cannot be raised as a stage failure.
    const wrong = () => new StageError('NOT_BY_DIGEST', 'x');
    expect(wrong).toBeTypeOf('function');
    // @ts-expect-error CONFIG_INVALID is exit 2.
    const wrong2 = () => new ApprovalError('CONFIG_INVALID', 'x');
    expect(wrong2).toBeTypeOf('function');
    expect(exitCodeOf(new PolicyError('NOT_BY_DIGEST', 'x'))).toBe(ExitCode.blocked);
    expect(exitCodeOf(new InputError('CONFIG_INVALID', 'x'))).toBe(ExitCode.invalidInput);
    expect(exitCodeOf(new StageError('COVERAGE_LOW', 'a team stage code'))).toBe(ExitCode.stageFailed);
  });
});
