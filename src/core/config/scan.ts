import { z } from 'zod';

/**
 * Gantry's own Semgrep rule sets, one file each in `policies/semgrep/<name>.yaml`, named in gantry.yaml as
 * `builtin:<name>`.
 */
export const BUILTIN_RULE_SETS = ['generic', 'dockerfile', 'javascript', 'python', 'go', 'java'] as const;
/** The name of one built-in rule set. */
export type BuiltinRuleSet = (typeof BUILTIN_RULE_SETS)[number];

// A rule-set entry: `builtin:<set>`, or a relative .yaml/.yml path that stays inside the repository: not
// absolute, no `:` (scheme, drive letter), no backslash, no `..` segment. It is also the JSON Schema pattern.
const RULE_SET_ENTRY = new RegExp(
  `^(builtin:(${BUILTIN_RULE_SETS.join('|')})|(?![/~])(?!.*:)(?!.*\\\\)(?!(.*/)?\\.\\.(/|$))[^\\0]+\\.ya?ml)$`,
);
// Semgrep registry packs (`p/<name>`) and single registry rules (`r/<rule.id>`).
const REGISTRY_ENTRY = /^(p\/[a-z0-9][a-z0-9-]*|r\/[A-Za-z0-9][A-Za-z0-9._-]*)$/;

const ruleSetEntry = z
  .string()
  .regex(RULE_SET_ENTRY, {
    error: `a built-in rule set (${BUILTIN_RULE_SETS.map((s) => `builtin:${s}`).join(', ')}) or a path to a .yaml/.yml rule file inside the repository, relative to its root, e.g. ./semgrep/rules.yaml`,
  })
  .meta({ description: '`builtin:<set>` or a rule file relative to the repository root' });

/** Which Semgrep rules the scan stage runs. */
export const SemgrepSettings = z
  .strictObject({
    rules: z.array(ruleSetEntry).optional().meta({
      description:
        'rule sets to run, replacing the default: builtin:<set> or repository .yaml files. Default: builtin:generic, builtin:dockerfile and the set of each component toolchain (node → javascript, python → python, go → go; a custom toolchain adds every built-in set)',
    }),
    registry: z
      .array(
        z.string().regex(REGISTRY_ENTRY, {
          error: 'a Semgrep registry pack such as p/ci or a registry rule such as r/<rule.id>',
        }),
      )
      .default([])
      .meta({
        description:
          'Semgrep registry packs (p/ci, p/owasp-top-ten) or rules (r/<id>) to add; the scan then needs network access to semgrep.dev. Off by default',
      }),
  })
  .refine((s) => s.rules === undefined || s.rules.length > 0 || s.registry.length > 0, {
    error:
      'semgrep would run without rules (and Semgrep then fetches its own): list at least one rule set, or leave `rules` out for the default',
    path: ['rules'],
  });

/** The `scan` section of gantry.yaml. */
export const ScanSettings = z.strictObject({
  semgrep: SemgrepSettings.default({ registry: [] }),
});

/** Semgrep settings of a validated config. */
export type SemgrepSettings = z.infer<typeof SemgrepSettings>;
