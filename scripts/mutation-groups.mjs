// The modules that decide security, in groups that each run only the tests that guard them, so one group's
// run is short and its report is kept even when a later group is not reached (2 shared cores).
// Read by stryker.config.mjs (MUTATION_GROUP) and scripts/mutation.ts (which runs every group).
export const GROUPS = {
  selection: {
    mutate: ['src/core/graph.ts'],
    tests: ['test/core/graph.test.ts', 'test/core/plan.test.ts'],
  },
  manifest: {
    mutate: ['src/core/atomic-write.ts', 'src/core/manifest/store.ts'],
    tests: ['test/core/atomic-write.test.ts', 'test/core/manifest/**/*.test.ts'],
  },
  approval: {
    mutate: [
      'src/core/approval/binding.ts',
      'src/core/approval/given-hash.ts',
      'src/core/approval/statement.ts',
      'src/core/deploy/policy.ts',
      'src/core/deploy/release.ts',
    ],
    tests: [
      'test/core/approval/**/*.test.ts',
      'test/core/deploy/policy.test.ts',
      'test/core/deploy/release.test.ts',
    ],
  },
  gate: {
    mutate: [
      'src/core/security/gate.ts',
      'src/core/security/policy.ts',
      'src/core/security/waiver.ts',
      'src/core/security/report-file.ts',
    ],
    tests: ['test/core/security/**/*.test.ts', 'test/cli/commands/gate.test.ts'],
  },
  parsers: {
    mutate: ['src/core/security/trivy.ts', 'src/core/security/semgrep.ts'],
    tests: ['test/core/security/**/*.test.ts', 'test/core/reports/**/*.test.ts'],
  },
};
