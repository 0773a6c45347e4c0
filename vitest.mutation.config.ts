import { defineConfig } from 'vitest/config'

// The suites that `pnpm test:mutation` runs for every mutant: the policy code under mutation
// lives in core and @servey/http, and their unit tests are fast. The rest of the suite (Redis,
// browsers, child processes) would make each of hundreds of runs take minutes.
export default defineConfig({
  test: {
    projects: ['packages/core', 'packages/http'],
  },
})
