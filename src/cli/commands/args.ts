import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError } from '../../core/errors.ts';
import type { Selection } from '../../core/graph.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

type FlagValue<T> = T extends { type: 'boolean' } ? boolean : string;

/** Parsed flag values, typed from the option declarations. */
export type FlagValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { multiple: true } ? FlagValue<O[K]>[] : FlagValue<O[K]>;
};

/** Parses a command's flags strictly; an unknown flag or a missing value is an {@link InputError} (exit 2). */
export function parseFlags<O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
  usage: string,
): { values: FlagValues<O>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as FlagValues<O>, positionals };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new InputError('BAD_ARGUMENTS', `gantry ${command}: ${message}`, {
      cause,
      hint: `usage: ${usage}`,
    });
  }
}

/** Splits `a,b c` style lists given to flags such as `--only`. */
export function splitList(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  return list;
}

/** The flags that select stages, shared by `run` and `plan`. */
export const selectionFlags = {
  phase: { type: 'string' },
  only: { type: 'string', multiple: true },
  from: { type: 'string' },
  until: { type: 'string' },
  'always-only': { type: 'boolean', default: false },
  'skip-always': { type: 'boolean', default: false },
} as const satisfies Options;

/** The selection the {@link selectionFlags} describe. */
export function selectionOf(values: FlagValues<typeof selectionFlags>): Selection {
  if (values['always-only'] && values['skip-always']) {
    throw new InputError('BAD_ARGUMENTS', '--always-only and --skip-always exclude each other', {
      hint: 'give one of them',
    });
  }
  return {
    phase: values.phase,
    only: splitList(values.only),
    from: values.from,
    until: values.until,
    always: values['always-only'] ? 'only' : values['skip-always'] ? 'skip' : undefined,
  };
}

/** Refuses positional words a command does not take (`gantry run promote`): exit 2. */
export function noPositionals(command: string, positionals: readonly string[], usage: string): void {
  if (positionals.length === 0) return;
  throw new InputError('BAD_ARGUMENTS', `gantry ${command}: unexpected argument "${positionals[0]}"`, {
    hint: `usage: ${usage}${command === 'run' || command === 'plan' ? ' (a phase is given as --phase <name>)' : ''}`,
  });
}
