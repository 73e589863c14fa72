import { z } from 'zod';
import { GantryConfig } from './schema.ts';

/** The JSON Schema of gantry.yaml, generated from the zod schema (committed as gantry.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(GantryConfig, { io: 'input', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://gantry.dev/schemas/gantry.schema.json', title: 'gantry.yaml' };
}

/** The JSON Schema as the text committed in gantry.schema.json. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
