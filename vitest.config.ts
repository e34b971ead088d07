import { createRequire } from 'node:module';

import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql-js for everyone: Node (and so Apollo and the libraries it loads) resolves
    // "graphql" to its CommonJS build; without this, Vite would give our sources the .mjs build,
    // and schema objects would cross between two copies of graphql-js.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own servers on ephemeral ports with their own databases.
    fileParallelism: true,
    pool: 'forks',
  },
});
