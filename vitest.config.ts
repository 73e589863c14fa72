import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node refuses;
    // inlined, Vite transforms those imports.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
