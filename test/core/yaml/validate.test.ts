/** A YAML alias bomb is invalid input (exit 2), never an INTERNAL error or a hang (issue 11). */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import { InputError } from '../../../src/core/errors.ts';
import { parsePolicy } from '../../../src/core/security/policy.ts';

/** The "billion laughs": nine levels of nine aliases, 9^9 strings once expanded. */
function aliasBomb(key: string): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(',');
    lines.push(`a${i}: &a${i} [${refs}]`);
  }
  return `${lines.join('\n')}\n${key}: *a8\n`;
}

describe('YAML alias limit', () => {
  it.each([
    ['gantry.yaml', 'CONFIG_SYNTAX', () => parseConfig(aliasBomb('name'), 'gantry.yaml')],
    ['policy', 'POLICY_SYNTAX', () => parsePolicy(aliasBomb('waivers'), 'policy.yaml')],
  ])('%s alias bomb → %s (exit 2), quickly', (_, code, parse) => {
    const started = Date.now();
    let error: unknown;
    try {
      parse();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as Error).message).toMatch(/alias/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a few anchors and aliases are still fine', () => {
    const text =
      'version: 1\nname: demo\ncomponents:\n  - &api {name: api, path: services/api}\n  - {name: web, path: services/web}\n';
    expect(parseConfig(text).components).toHaveLength(2);
  });
});
