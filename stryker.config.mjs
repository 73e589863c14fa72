// Mutation testing of the modules that decide security (issue 14): `npm run mutation` (scripts/mutation.ts)
// runs one Stryker run per group of scripts/mutation-groups.mjs (MUTATION_GROUP=<name>). Not part of
// `npm test`: it runs the group's tests once per mutant. The summary of the last run is committed in
// reports/mutation/ (scripts/mutation-summary.ts); the HTML and JSON reports are generated output.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { GROUPS } from './scripts/mutation-groups.mjs';

const name = process.env.MUTATION_GROUP ?? 'selection';
const group = GROUPS[name];
if (!group)
  throw new Error(`MUTATION_GROUP: unknown group "${name}"; use one of ${Object.keys(GROUPS).join(', ')}`);

// Stryker runs the tests in a copy of the repository at .stryker-tmp/sandbox-*, where the fixtures the tests
// read from ../shared (beside the repository) would be missing: point .stryker-tmp/shared at them.
const tempDirName = '.stryker-tmp';
const shared = resolve(import.meta.dirname, '../shared');
mkdirSync(tempDirName, { recursive: true });
if (existsSync(shared) && !existsSync(`${tempDirName}/shared`)) symlinkSync(shared, `${tempDirName}/shared`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // vitest.mutation.config.ts reads MUTATION_TESTS: only the group's tests run
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: severity maps, report keys, messages) run too: each reruns every
  // test of its group, which the groups keep small. They decide as much as the functions do.
  ignoreStatic: false,
  mutate: group.mutate,
  // Two cores shared with other work.
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['json', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/.runs/${name}.json` },
  tempDirName,
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
process.env.MUTATION_TESTS = group.tests.join(',');
