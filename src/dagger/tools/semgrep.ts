/**
 * Semgrep in its pinned container. The default configuration is the local rules shipped in
 * `policies/semgrep/`, so SAST works offline; registry rule packs (`p/default`, …) are an opt-in.
 */
import { type Container, type Directory, dag, ReturnType } from '@dagger.io/dagger';
import { IMAGES } from '../../core/images.ts';

/** Where the source is mounted. */
export const SEMGREP_SOURCE = '/src';
/** Where the local rules are mounted. */
export const SEMGREP_RULES = '/rules';
/** The JSON report Semgrep writes. */
export const SEMGREP_REPORT = '/out/semgrep.json';

/** Options of {@link semgrep}. */
export interface SemgrepOptions {
  /** Registry rule packs to add, e.g. `['p/default']`; they need network access. @default [] */
  registryConfigs?: string[];
  /** Image to run. @default IMAGES.semgrep */
  image?: string;
}

/** argv of a scan with the local rules (plus opt-in registry packs), JSON to {@link SEMGREP_REPORT}. */
export function semgrepArgs(registryConfigs: readonly string[] = []): string[] {
  return [
    'semgrep',
    'scan',
    '--config',
    SEMGREP_RULES,
    ...registryConfigs.flatMap((c) => ['--config', c]),
    '--json',
    '--output',
    SEMGREP_REPORT,
    '--metrics=off',
    '--disable-version-check',
    SEMGREP_SOURCE,
  ];
}

/**
 * `semgrep scan` over a source folder with the given rules folder. Run with `expect: ANY`: exit ≥ 2 is a
 * failure of the scan itself, which the caller tells from findings with `classifyScannerExit`.
 */
export function semgrep(source: Directory, rules: Directory, options: SemgrepOptions = {}): Container {
  const { registryConfigs = [], image = IMAGES.semgrep } = options;
  return dag
    .container()
    .from(image)
    .withEnvVariable('SEMGREP_SEND_METRICS', 'off')
    .withMountedDirectory(SEMGREP_RULES, rules)
    .withMountedDirectory(SEMGREP_SOURCE, source)
    .withDirectory('/out', dag.directory())
    .withExec(semgrepArgs(registryConfigs), { expect: ReturnType.Any });
}
