/**
 * `semgrep --test` of the shipped rules against their annotated examples, in the pinned Semgrep image on a
 * real engine (opt-in like every e2e test: skipped where no engine is reachable).
 *
 * Each example is tested with its rule file named explicitly (`--config <set>.yaml <example>`): for a config
 * file and a target file, Semgrep pairs exactly those two (cli/src/semgrep/test.py get_config_test_filenames;
 * src/osemgrep/cli_test/Test_subcommand.ml run_conf), whatever the folder layout.
 */
import { join } from 'node:path';
import { dag, ReturnType } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import { IMAGES } from '../../src/core/images.ts';
import { engineTarget, withEngine } from '../../src/dagger/engine.ts';
import { exampleFiles } from '../policies/semgrep-examples.ts';

const root = join(import.meta.dirname, '../..');
const rulesDir = join(root, 'policies/semgrep');
const target = engineTarget(process.env);

const script = exampleFiles(join(rulesDir, 'examples'))
  .map((path) => {
    const set = path.split('/')[0];
    return `semgrep --test --metrics=off --disable-version-check --config /rules/${set}.yaml /rules/examples/${path} || failed="$failed ${path}"`;
  })
  .join('\n');

describe.skipIf(target.kind === 'none')(
  `shipped Semgrep rules on a real engine (${target.description})`,
  () => {
    it(
      'pass semgrep --test on every annotated example',
      async () => {
        const { code, output } = await withEngine(
          process.env,
          () => undefined,
          async () => {
            const ctr = dag
              .container()
              .from(IMAGES.semgrep)
              .withMountedDirectory('/rules', dag.host().directory(rulesDir))
              .withExec(['sh', '-c', `failed=\n${script}\necho "failed:$failed"\ntest -z "$failed"`], {
                expect: ReturnType.Any,
              });
            return { code: await ctr.exitCode(), output: `${await ctr.stdout()}${await ctr.stderr()}` };
          },
        );
        expect(output).toContain('failed:');
        expect(code, output).toBe(0);
      },
      20 * 60_000,
    );
  },
);
