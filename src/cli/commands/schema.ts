import { configJsonSchemaText } from '../../core/config/json-schema.ts';
import { ExitCode } from '../../core/errors.ts';
import { noPositionals, parseFlags } from './args.ts';
import type { Command } from './command.ts';

/** `gantry schema`: prints the JSON Schema of gantry.yaml. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of gantry.yaml (committed as gantry.schema.json)',
  usage: 'gantry schema',
  async run(ctx) {
    const { positionals } = parseFlags('schema', ctx.args, {}, this.usage);
    noPositionals('schema', positionals, this.usage);
    ctx.stdout(configJsonSchemaText());
    return ExitCode.ok;
  },
};
