// @ts-check
/**
 * `pnpm test:mutation`: StrykerJS over the policy files of core and @servey/http, run by
 * vitest (see RELIABILITY.md for the scores and the surviving mutants judged equivalent).
 * Stryker 9 because 10 needs Node 22; `inPlace` because under pnpm the adapters' tests must
 * see the mutated core through the workspace links, not a sandbox copy.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  inPlace: true,
  // vitest strips types without checking them; Stryker's `@ts-nocheck` headers would only
  // break the tests that compare a fixture file with its README verbatim.
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/core/src/security/check-access.ts',
    'packages/core/src/security/callback-url.ts',
    'packages/core/src/cache/cache-key.ts',
    'packages/core/src/invoke/pipeline.ts',
    'packages/http/src/**/*.ts',
    '!packages/http/src/**/*.test.ts',
    '!packages/http/src/**/*.fixture.ts',
    '!packages/http/src/index.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
}
