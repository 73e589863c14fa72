import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Folders depend in one direction: cli → stages → runtime → dagger → core (STYLE.md, DESIGN.md). */
const LAYERS = ['core', 'dagger', 'runtime', 'stages', 'cli'] as const;
const SRC = join(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('layout', () => {
  it('no folder imports a folder above it, type imports included', () => {
    const wrong: string[] = [];
    for (const [rank, layer] of LAYERS.entries()) {
      const above = LAYERS.slice(rank + 1);
      for (const file of files(join(SRC, layer))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+)([a-z]+)\//g)) {
          const target = m[2] as (typeof LAYERS)[number];
          if (above.includes(target)) wrong.push(`${relative(SRC, file)} imports src/${target}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
