/**
 * Which Semgrep rule files a scan reads: the `scan.semgrep.rules` of gantry.yaml, or by default Gantry's
 * built-in rule sets for the components' toolchains.
 */
import { posix } from 'node:path';
import { BUILTIN_RULE_SETS, type BuiltinRuleSet, type SemgrepSettings } from '../config/scan.ts';
import type { Component, ToolchainPreset } from '../config/schema.ts';

/** One rule file of a scan: a built-in rule set, or a file of the repository (relative, normalized). */
export type RuleFileRef = { kind: 'builtin'; set: BuiltinRuleSet } | { kind: 'repo'; path: string };

/** The built-in rule set of each toolchain preset. */
export const TOOLCHAIN_RULE_SETS: Record<ToolchainPreset, BuiltinRuleSet> = {
  node: 'javascript',
  python: 'python',
  go: 'go',
};

/** Rule sets every default scan runs, whatever the toolchains: any-language patterns and Dockerfiles. */
const ALWAYS: readonly BuiltinRuleSet[] = ['generic', 'dockerfile'];

/**
 * The built-in rule sets for these components: generic and dockerfile, plus each preset's language. A
 * custom toolchain names no language, so it adds every built-in set (Semgrep only applies a rule to files of
 * the rule's languages, so an unused set costs a parse of its YAML, not findings).
 */
export function defaultRuleSets(components: readonly Pick<Component, 'toolchain'>[]): BuiltinRuleSet[] {
  const wanted = new Set<BuiltinRuleSet>(ALWAYS);
  for (const { toolchain } of components) {
    if (typeof toolchain === 'string') wanted.add(TOOLCHAIN_RULE_SETS[toolchain]);
    else for (const set of BUILTIN_RULE_SETS) wanted.add(set);
  }
  return BUILTIN_RULE_SETS.filter((set) => wanted.has(set));
}

/** Reads one validated `rules` entry: `builtin:<set>` or a repository path (normalized, `./` dropped). */
export function parseRuleSetEntry(entry: string): RuleFileRef {
  if (entry.startsWith('builtin:'))
    return { kind: 'builtin', set: entry.slice('builtin:'.length) as BuiltinRuleSet };
  return { kind: 'repo', path: posix.normalize(entry) };
}

/** The rule files of a scan, each once, in the configured order (or the default's). */
export function semgrepRuleFiles(
  settings: Pick<SemgrepSettings, 'rules'>,
  components: readonly Pick<Component, 'toolchain'>[],
): RuleFileRef[] {
  const refs =
    settings.rules === undefined
      ? defaultRuleSets(components).map((set): RuleFileRef => ({ kind: 'builtin', set }))
      : settings.rules.map(parseRuleSetEntry);
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = ruleFileMountPath(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a rule file sits under Semgrep's rules folder: `builtin/<set>.yaml` or `repo/<path>`. */
export function ruleFileMountPath(ref: RuleFileRef): string {
  return ref.kind === 'builtin' ? `builtin/${ref.set}.yaml` : `repo/${ref.path}`;
}
