// Mutation testing of the modules that decide security (issue 14): `npm run mutation`. Not part of `npm test`:
// it runs the tests below once per mutant and takes minutes. The summary of the last run is committed in
// reports/mutation/ (written by scripts/mutation-summary.ts); the HTML report is not.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

// Stryker runs the tests in a copy of the repository at .stryker-tmp/sandbox-*, where the fixtures the tests
// read from ../shared (beside the repository) would be missing: point .stryker-tmp/shared at them.
const tempDirName = '.stryker-tmp';
const shared = resolve(import.meta.dirname, '../shared');
mkdirSync(tempDirName, { recursive: true });
if (existsSync(shared) && !existsSync(`${tempDirName}/shared`)) symlinkSync(shared, `${tempDirName}/shared`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants such as the stage list) would each rerun every test file: ignored
  // here and counted apart in the summary; graph.test.ts and the selection tests cover those constants.
  ignoreStatic: true,
  mutate: [
    'src/core/security/gate.ts',
    'src/core/security/policy.ts',
    'src/core/security/waiver.ts',
    'src/core/security/trivy.ts',
    'src/core/security/semgrep.ts',
    'src/core/security/report-file.ts',
    'src/core/security/report-error.ts',
    'src/core/security/scan-report.ts',
    'src/core/security/finding.ts',
    'src/core/approval/binding.ts',
    'src/core/approval/given-hash.ts',
    'src/core/deploy/policy.ts',
    'src/core/manifest/store.ts',
    'src/core/atomic-write.ts',
    'src/core/graph.ts',
  ],
  // Two cores shared with other work: one test runner process at a time plus Stryker itself.
  concurrency: 1,
  timeoutMS: 20_000,
  reporters: ['json', 'html', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/.last-run.json' },
  htmlReporter: { fileName: 'reports/mutation/.html/index.html' },
  tempDirName,
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
