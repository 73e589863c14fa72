import { existsSync, readFileSync } from 'node:fs';
import { ExitCode, exitCodeOf, formatError, InputError } from '../core/errors.ts';
import { packageFile } from '../core/package-files.ts';
import { ciCommand } from './commands/ci.ts';
import type { Command, CommandContext } from './commands/command.ts';
import { deployCommand } from './commands/deploy.ts';
import { gateCommand } from './commands/gate.ts';
import { initCommand } from './commands/init.ts';
import { planCommand } from './commands/plan.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { validateCommand } from './commands/validate.ts';

/** Every sub-command of `gantry`. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  deployCommand,
  planCommand,
  validateCommand,
  gateCommand,
  schemaCommand,
  initCommand,
  ciCommand,
];

/** Exit codes, for `gantry --help`. */
const EXIT_CODES = `exit codes: 0 success · 1 a stage failed · 2 invalid input · 3 blocked by policy · 4 approval missing or not matching`;

function help(): string {
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return [
    'usage: gantry [<command>] [options]   (no command: run the whole pipeline; gantry <command> --help for its options)',
    '',
    'commands:',
    ...rows,
    '',
    'global options: --debug (stack traces), --help, --version',
    EXIT_CODES,
    '',
  ].join('\n');
}

function version(): string {
  const file = packageFile('package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'unknown';
}

/**
 * Runs `gantry` with the given arguments (without `node` and the script). Never throws: every error is
 * rendered to stderr and mapped to its exit code.
 */
export async function cli(
  argv: readonly string[],
  base: Omit<CommandContext, 'args' | 'debug'>,
): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  try {
    if (name === '--help' || name === '-h' || name === 'help') {
      base.stdout(help());
      return ExitCode.ok;
    }
    // No command, or only flags: run the pipeline (`dagger run tsx pipeline/main.ts`).
    if (name === undefined || name.startsWith('-')) {
      return await runCommand.run({ ...base, args, debug });
    }
    if (name === '--version' || name === '-v') {
      base.stdout(`${version()}\n`);
      return ExitCode.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new InputError('UNKNOWN_COMMAND', `unknown command "${name}"`, {
        hint: `use one of: ${COMMANDS.map((c) => c.name).join(', ')} (gantry --help)`,
      });
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      base.stdout(
        `${command.summary}\n${command.usage.startsWith('Usage:') ? command.usage : `usage: ${command.usage}`}\n`,
      );
      return ExitCode.ok;
    }
    return await command.run({ ...base, args: rest, debug });
  } catch (error) {
    base.stderr(`${formatError(error, debug)}\n`);
    return exitCodeOf(error);
  }
}
