import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { docReference } from '../package-files.ts';
import { parseYamlWith } from '../yaml/validate.ts';
import { assertPathsInside } from './containment.ts';
import { assertNoUrlCredentials } from './credentials.ts';
import { GantryConfig, migrateConfig } from './schema.ts';

/** Default location of the config, relative to the repository root. */
export const DEFAULT_CONFIG_FILE = 'gantry.yaml';

/** Parses and validates gantry.yaml text. Throws an {@link InputError} (exit 2) naming file:line:column. */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): GantryConfig {
  const reference = `Every field, with examples: ${docReference(dirname(file), 'docs/configuration.md')} (JSON Schema: \`gantry schema\`).`;
  const config = parseYamlWith(z.preprocess(migrateConfig, GantryConfig), text, file, {
    what: 'gantry config',
    reference,
    codePrefix: 'CONFIG',
  });
  assertNoUrlCredentials(config, file);
  return config;
}

/**
 * Reads, parses and validates a gantry.yaml file; every path in it must resolve inside `repoRoot`
 * (symbolic links included), else {@link InputError} (exit 2) naming the field.
 * @param repoRoot - the repository root. @default process.cwd()
 */
export async function loadConfig(file: string, repoRoot = process.cwd()): Promise<GantryConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError('CONFIG_MISSING', `config file not found: ${file}`, {
        cause,
        hint: `run \`gantry init\` to write one for this repository (every field: ${docReference(dirname(file), 'docs/configuration.md')}), or pass --config <file>`,
      });
    }
    throw new InputError('CONFIG_UNREADABLE', `cannot read config file ${file}: ${code ?? String(cause)}`, {
      cause,
      hint: 'check the path and its permissions',
    });
  }
  const config = parseConfig(text, file);
  assertPathsInside(config, repoRoot, file);
  return config;
}
