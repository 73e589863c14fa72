/**
 * Security policy files (`policies/*.yaml`): which severities block per kind of finding, whether unfixed
 * vulnerabilities count, and waivers with a reason and an expiry date. Validated by zod; errors are
 * InputErrors (exit 2) that name file:line:column and the field path.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { parseYamlWith } from '../yaml/validate.ts';
import { SEVERITIES } from './finding.ts';

const severities = z.array(z.enum(SEVERITIES), {
  error: `expected a list of severities (${SEVERITIES.join(', ')})`,
});

const kindRule = z.strictObject({
  /** Severities that block. An empty list blocks nothing of this kind. */
  block: severities,
});

/** `YYYY-MM-DD` that is a real calendar date. */
const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD (quote it if YAML reads it as something else)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD', abort: true })
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'not a calendar date');

/** A string with text in it; missing, not a string, empty or blank: "<what> is required" (the schema's error). */
const nonEmpty = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1);

/** A waiver: accepts findings of one rule (or one finding id) until a date, optionally scoped. */
export const waiverSchema = z.strictObject({
  /** The rule or vulnerability id (e.g. `CVE-2019-14697`, `AVD-DS-0002`), or a finding's stable id. */
  id: nonEmpty('id'),
  /** Why the risk is accepted; shown in every gate output. */
  reason: nonEmpty('reason'),
  /** Last day the waiver applies (UTC), `YYYY-MM-DD`. */
  expires: isoDate,
  /** Only findings in this package. */
  package: z.string().min(1).optional(),
  /** Only findings in files or targets matching this path (`*` and `**` globs allowed). */
  path: z.string().min(1).optional(),
});

/**
 * A scan error accepted for some paths: the scanner could not scan (all of) these files, and the risk is
 * accepted until a date. Errors without a path (a rule that did not load) cannot be waived.
 */
export const scanErrorWaiverSchema = z.strictObject({
  /** Files the error is about (`*` and `**` globs allowed), e.g. `vendor/**` or `src/generated/*.js`. */
  path: nonEmpty('path'),
  /** Only errors of this scanner type, e.g. `Timeout` or `Syntax error`. */
  type: z.string().min(1).optional(),
  /** Why not scanning these files is acceptable; shown in every gate output. */
  reason: nonEmpty('reason'),
  /** Last day the waiver applies (UTC), `YYYY-MM-DD`. */
  expires: isoDate,
});

/** Zod schema of a policy file. */
export const policySchema = z.strictObject({
  /** Policy file format version. */
  version: z.literal(1),
  vulnerabilities: z.strictObject({
    block: severities,
    /** Ignore vulnerabilities that have no fix available yet. @default false */
    ignoreUnfixed: z.boolean().default(false),
  }),
  secrets: kindRule,
  misconfigurations: kindRule,
  sast: kindRule,
  /** Accepted risks. @default [] */
  waivers: z.array(waiverSchema).default([]),
  /** Scan errors (part of the input not scanned) accepted by path; every other scan error blocks. @default [] */
  scanErrors: z.array(scanErrorWaiverSchema).default([]),
  /**
   * Whether suppressions the repository controls (`nosemgrep` comments, `.semgrepignore`, `.trivyignore`,
   * `.trivyignore.yaml`, `trivy:ignore:` comments, findings a scanner reports as suppressed) are accepted.
   * They are always counted and shown; `false` makes any of them block. @default true
   */
  allowRepositorySuppressions: z.boolean().default(true),
});

/** A validated security policy. */
export type Policy = z.infer<typeof policySchema>;
/** One waiver of a policy. */
export type Waiver = z.infer<typeof waiverSchema>;
/** One scan-error waiver of a policy. */
export type ScanErrorWaiver = z.infer<typeof scanErrorWaiverSchema>;

/**
 * Parses and validates the text of a policy file.
 * @param file - the file name, used in error messages.
 * @throws InputError with file:line:column and field path for YAML syntax or schema errors.
 */
export function parsePolicy(text: string, file: string): Policy {
  return parseYamlWith(policySchema, text, file, {
    what: 'security policy',
    codePrefix: 'POLICY',
    reference:
      'See policies/default.yaml for the shape: version, vulnerabilities, secrets, misconfigurations, sast, waivers, scanErrors, allowRepositorySuppressions.',
  });
}

/**
 * Reads and validates a policy file.
 * @throws InputError when the file is missing or invalid.
 */
export async function loadPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError('POLICY_MISSING', `policy file ${file} cannot be read`, {
      hint: 'Set `policy` in gantry.yaml to an existing file (default: policies/default.yaml, shipped with gantry); `gantry gate` takes it as --policy FILE.',
      cause,
    });
  }
  return parsePolicy(text, file);
}

/** Today's date (UTC) as `YYYY-MM-DD`, the form waiver expiry dates are compared in. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
