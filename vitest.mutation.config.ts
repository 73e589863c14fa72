import { defineConfig } from 'vitest/config';

/**
 * The tests that guard the security-deciding modules, and only those: Stryker runs them once per mutant
 * (see stryker.config.mjs), so the rest of the suite (wire tests, CI tools) would only cost time here.
 */
export default defineConfig({
  test: {
    include: [
      'test/core/security/**/*.test.ts',
      'test/core/approval/**/*.test.ts',
      'test/core/deploy/policy.test.ts',
      'test/core/manifest/**/*.test.ts',
      'test/core/atomic-write.test.ts',
      'test/core/graph.test.ts',
      'test/core/plan.test.ts',
      'test/cli/commands/gate.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
