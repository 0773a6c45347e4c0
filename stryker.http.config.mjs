// @ts-check
/**
 * `pnpm test:mutation` for one file of @servey/http at a time (RELIABILITY.md, "Mutation
 * testing"): the root config's settings, but each mutant runs only @servey/http's own suite
 * (vitest.mutation-http.config.ts): core's tests never import @servey/http, so they would only
 * cost time. `ignoreStatic`: module-level constants (regular expressions,
 * option tables) would be tested once per test of the whole suite. Run it as
 * `nice -n 19 pnpm exec stryker run stryker.http.config.mjs --mutate packages/http/src/<file>.ts
 * --concurrency 1`.
 */
import base from './stryker.config.mjs'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-http.config.ts', related: false },
  mutate: (base.mutate ?? []).filter((pattern) => pattern.includes('packages/http/')),
  ignoreStatic: true,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
}
