import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText } from '../../../src/core/config/json-schema.ts';
import { runCli } from '../../support/cli.ts';

const root = join(import.meta.dirname, '../../..');

describe('gantry.schema.json', () => {
  it('is the schema generated from the zod schema (regenerate with: npx gantry schema > gantry.schema.json)', async () => {
    const committed = await readFile(join(root, 'gantry.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('is printed by gantry schema', async () => {
    const result = await runCli(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(configJsonSchema());
  });

  it('accepts the repository gantry.yaml and rejects a plaintext secret, as the zod schema does', async () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(configJsonSchema());
    const config = parse(await readFile(join(root, 'gantry.yaml'), 'utf8'));
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, registry: { address: 'ghcr.io/acme', password: 'hunter2' } })).toBe(false);
  });
});
