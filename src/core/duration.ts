import { InputError } from './errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90s`, `30m`, `1h` or `500ms` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  const unit = match?.[2];
  if (!match || unit === undefined) {
    throw new InputError('BAD_DURATION', `"${text}" is not a duration`, {
      hint: 'write e.g. 90s, 30m or 1h',
    });
  }
  return Number(match[1]) * (UNITS[unit] ?? 1);
}
