/**
 * Semgrep in its pinned container. The rules are files mounted under {@link SEMGREP_RULES}, each passed with
 * its own `--config`: Gantry's built-in rule sets (`policies/semgrep/<set>.yaml`) and the repository's own
 * rule files, so SAST works offline; registry rule packs (`p/ci`, …) are an opt-in that needs network.
 */
import { type Container, type Directory, dag, type File, ReturnType } from '@dagger.io/dagger';
import { InputError } from '../../core/errors.ts';
import { IMAGES } from '../../core/images.ts';
import { freshPerRun } from '../fresh.ts';

/** Where the source is mounted. */
export const SEMGREP_SOURCE = '/src';
/** The folder the rule files are mounted under. */
export const SEMGREP_RULES = '/rules';
/** The JSON report Semgrep writes. */
export const SEMGREP_REPORT = '/out/semgrep.json';

/** One rule file of a scan. */
export interface SemgrepRuleFile {
  /** Where it is mounted, relative to {@link SEMGREP_RULES}, e.g. `builtin/python.yaml`. */
  path: string;
  /** The file. */
  file: File;
}

/** Options of {@link semgrep}. */
export interface SemgrepOptions {
  /** Registry rule packs to add, e.g. `['p/ci']`; they need network access. @default [] */
  registryConfigs?: readonly string[];
  /** Image to run. @default IMAGES.semgrep */
  image?: string;
  /** The run whose scan this is: the scan runs fresh once per run (rules and findings change). @default a new id per process */
  runId?: string | undefined;
}

/**
 * argv of a scan with the given mounted rule files (plus opt-in registry packs), JSON to
 * {@link SEMGREP_REPORT}. One `--config` per file or pack: "To run multiple rule files simultaneously, use
 * --config before every YAML, URL, or Semgrep registry entry name" (semgrep `--config` help,
 * src/osemgrep/cli_scan/Scan_CLI.ml; https://semgrep.dev/docs/cli-reference).
 */
export function semgrepArgs(rulePaths: readonly string[], registryConfigs: readonly string[] = []): string[] {
  if (rulePaths.length + registryConfigs.length === 0) {
    // Without --config, `semgrep scan` fetches "recommended rules" from the registry
    // (https://semgrep.dev/docs/getting-started/cli-oss/): never let a scan silently go online.
    throw new InputError('SEMGREP_NO_RULES', 'the Semgrep scan has no rule files and no registry packs', {
      hint: 'list at least one rule set in scan.semgrep.rules of gantry.yaml, or leave `rules` out for the default',
    });
  }
  return [
    'semgrep',
    'scan',
    ...rulePaths.flatMap((p) => ['--config', `${SEMGREP_RULES}/${p}`]),
    ...registryConfigs.flatMap((c) => ['--config', c]),
    // Semgrep otherwise renames rules after the folders of their file ("Rule 'foo' in test/rules.yaml will be
    // renamed 'test.foo'", `--rewrite-rule-ids` help in Scan_CLI.ml): findings, waivers and the README name a
    // rule by the id written in its file.
    '--no-rewrite-rule-ids',
    '--json',
    '--output',
    SEMGREP_REPORT,
    '--metrics=off',
    '--disable-version-check',
    SEMGREP_SOURCE,
  ];
}

/**
 * `semgrep scan` over a source folder with the given rule files. Run with `expect: ANY`: exit ≥ 2 is a
 * failure of the scan itself, which the caller tells from findings with `classifyScannerExit`.
 */
export function semgrep(
  source: Directory,
  rules: readonly SemgrepRuleFile[],
  options: SemgrepOptions = {},
): Container {
  const { registryConfigs = [], image = IMAGES.semgrep, runId } = options;
  const argv = semgrepArgs(
    rules.map((r) => r.path),
    registryConfigs,
  );
  return rules
    .reduce(
      (ctr, rule) => ctr.withMountedFile(`${SEMGREP_RULES}/${rule.path}`, rule.file),
      dag.container().from(image).withEnvVariable('SEMGREP_SEND_METRICS', 'off'),
    )
    .withMountedDirectory(SEMGREP_SOURCE, source)
    .withDirectory('/out', dag.directory())
    .with(freshPerRun(runId))
    .withExec(argv, { expect: ReturnType.Any });
}
