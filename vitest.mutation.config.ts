import { defineConfig } from 'vitest/config';

/**
 * The tests that guard one group of security-deciding modules (MUTATION_TESTS, set by stryker.config.mjs
 * from scripts/mutation-groups.mjs), and only those: Stryker runs them once per mutant.
 */
export default defineConfig({
  test: {
    include: (process.env.MUTATION_TESTS ?? 'test/core/**/*.test.ts').split(','),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
