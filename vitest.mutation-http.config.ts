import { defineConfig } from 'vitest/config'

// The suite stryker.http.config.mjs runs for every mutant of an @servey/http file: the
// package's own project, with a test timeout that a test slowed down by the nice level and a
// busy machine (the OpenAPI linters, page rendering) still meets in the dry run.
export default defineConfig({
  test: {
    projects: [
      {
        extends: './packages/http/vitest.config.ts',
        test: { root: './packages/http', testTimeout: 30_000 },
      },
    ],
  },
})
