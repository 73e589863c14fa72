import { configJsonSchemaText } from '../../core/config/json-schema.ts';
import { configurationReference } from '../../core/config/reference.ts';
import { ExitCode, InputError } from '../../core/errors.ts';
import { noPositionals, parseFlags } from './args.ts';
import type { Command } from './command.ts';

const usage = 'gantry schema [--format json|markdown]';

/** `gantry schema`: prints the JSON Schema of gantry.yaml, or the configuration reference in Markdown. */
export const schemaCommand: Command = {
  name: 'schema',
  summary:
    'print the JSON Schema of gantry.yaml (gantry.schema.json), or with --format markdown the reference (docs/configuration.md)',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags(
      'schema',
      ctx.args,
      { format: { type: 'string', default: 'json' } },
      usage,
    );
    noPositionals('schema', positionals, usage);
    if (values.format === 'markdown') ctx.stdout(configurationReference());
    else if (values.format === 'json') ctx.stdout(configJsonSchemaText());
    else
      throw new InputError('BAD_ARGUMENTS', `gantry schema: unknown format "${values.format}"`, {
        hint: 'use one of: json, markdown',
      });
    return ExitCode.ok;
  },
};
