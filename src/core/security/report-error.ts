/**
 * Errors for unreadable scanner reports. Gates fail closed: a report that cannot be trusted blocks (exit 3).
 */
import type { z } from 'zod';
import { PolicyError } from '../errors.ts';

/** Renders a zod issue path as `Results[0].Vulnerabilities[2].VulnerabilityID`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document root)' : out;
}

/** A PolicyError saying that `source` does not have the shape of the expected report, and where. */
export function invalidReport(source: string, expected: string, error: z.ZodError): PolicyError {
  const issues = error.issues.slice(0, 3).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return new PolicyError(
    'REPORT_INVALID',
    `${source} is not a valid ${expected} report, so the gate blocks: ${issues.join('; ')}${more}`,
    { hint: `Re-run the scanner with JSON output and pass the file it wrote unmodified.`, cause: error },
  );
}

/**
 * A PolicyError saying that a finding's severity is not one the tool writes. Such a finding is never counted
 * as UNKNOWN (which a policy may let pass): the whole report is refused, naming the value.
 */
export function unknownSeverity(
  source: string,
  tool: string,
  raw: unknown,
  where: string,
  allowed: readonly string[],
): PolicyError {
  return new PolicyError(
    'REPORT_SEVERITY',
    `${source} is not a valid ${tool} report, so the gate blocks: severity ${JSON.stringify(raw ?? null)} of ${where} ` +
      `is not one ${tool} writes (${allowed.join(', ')})`,
    {
      hint: 'Pass the report the scanner wrote, unmodified; a rule with a custom severity must use one of these.',
    },
  );
}
