/**
 * The host files behind a scan's Semgrep rules: Gantry's built-in rule sets, shipped in the package, and the
 * repository's own rule files, which must exist and stay inside the repository.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { dag } from '@dagger.io/dagger';
import type { BuiltinRuleSet } from '../../core/config/scan.ts';
import type { GantryConfig } from '../../core/config/schema.ts';
import { InputError } from '../../core/errors.ts';
import { packageFile } from '../../core/package-files.ts';
import { type RuleFileRef, ruleFileMountPath, semgrepRuleFiles } from '../../core/security/semgrep-rules.ts';
import type { SemgrepRuleFile } from './semgrep.ts';

/** The folder of Gantry's built-in rule sets (`policies/semgrep/<set>.yaml` in the package). */
export const BUILTIN_SEMGREP_RULES = packageFile('policies/semgrep');

const where = 'scan.semgrep.rules in gantry.yaml';

/**
 * The checked host path of a repository rule file. Fails (exit 2) when it is missing, not a file, or — once
 * symlinks are resolved — outside the repository.
 */
export async function repoRuleFilePath(repoRoot: string, path: string): Promise<string> {
  const fix = 'name a .yaml rule file inside the repository, relative to its root, e.g. ./semgrep/rules.yaml';
  let real: string;
  try {
    real = await realpath(join(repoRoot, path));
  } catch (cause) {
    throw new InputError('SEMGREP_RULES_MISSING', `${where}: ${path} does not exist in ${repoRoot}`, {
      cause,
      hint: fix,
    });
  }
  const root = await realpath(repoRoot);
  if (!real.startsWith(root + sep)) {
    throw new InputError('SEMGREP_RULES_OUTSIDE', `${where}: ${path} resolves to ${real}, outside ${root}`, {
      hint: fix,
    });
  }
  if (!(await stat(real)).isFile()) {
    throw new InputError('SEMGREP_RULES_NOT_FILE', `${where}: ${path} is not a file`, { hint: fix });
  }
  return real;
}

/** The mounted files of built-in rule sets. */
export function builtinRuleFiles(sets: readonly BuiltinRuleSet[]): SemgrepRuleFile[] {
  return sets.map((set) => ({
    path: ruleFileMountPath({ kind: 'builtin', set }),
    file: dag.host().file(join(BUILTIN_SEMGREP_RULES, `${set}.yaml`)),
  }));
}

/** The mounted files of the given rule references; repository files are checked first. */
export async function hostRuleFiles(
  refs: readonly RuleFileRef[],
  repoRoot: string,
): Promise<SemgrepRuleFile[]> {
  return Promise.all(
    refs.map(async (ref) =>
      ref.kind === 'builtin'
        ? (builtinRuleFiles([ref.set])[0] as SemgrepRuleFile)
        : { path: ruleFileMountPath(ref), file: dag.host().file(await repoRuleFilePath(repoRoot, ref.path)) },
    ),
  );
}

/** The rule files and registry packs gantry.yaml asks for (`scan.semgrep`), checked and ready to mount. */
export async function configuredSemgrepRules(config: GantryConfig, repoRoot: string) {
  const { semgrep } = config.scan;
  return {
    rules: await hostRuleFiles(semgrepRuleFiles(semgrep, config.components), repoRoot),
    registryConfigs: semgrep.registry,
  };
}
