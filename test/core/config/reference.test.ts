import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import {
  configurationReference,
  REFERENCE_EXAMPLES,
  referenceRows,
} from '../../../src/core/config/reference.ts';
import { runCli } from '../../support/cli.ts';

const root = join(import.meta.dirname, '../../..');

describe('docs/configuration.md', () => {
  it('is the reference generated from the schema (regenerate: npx gantry schema --format markdown > docs/configuration.md)', async () => {
    const committed = await readFile(join(root, 'docs/configuration.md'), 'utf8');
    expect(committed).toBe(configurationReference());
  });

  it('is printed by gantry schema --format markdown', async () => {
    const result = await runCli(['schema', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(configurationReference());
    expect((await runCli(['schema', '--format', 'yaml'])).code).toBe(2);
  });

  it('has a row for every field of the schema, with defaults and the conventions in the descriptions', () => {
    const rows = new Map(referenceRows().map((r) => [r.path, r]));
    expect(rows.get('components[].name')?.description).toContain('Deployment');
    expect(rows.get('environments[].kustomize')?.description).toContain('relative to the component path');
    expect(rows.get('environments[].smoke.port')?.default).toBe('8080');
    expect(rows.get('signing')?.type).toBe('object by `mode`: `key` | `keyless` | `generated`');
    expect(rows.get('version')?.required).toBe(true);
  });

  it('has examples the real loader accepts', () => {
    expect(REFERENCE_EXAMPLES.length).toBeGreaterThan(1);
    for (const example of REFERENCE_EXAMPLES) expect(() => parseConfig(example.yaml)).not.toThrow();
  });
});
