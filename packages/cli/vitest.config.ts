import { defineProject } from 'vitest/config'

// Most tests here start the real `servey` binary (0.3-1 s each, more on a busy machine), so the
// default 5 s budget is too tight; every wait inside a test has its own, shorter bound.
export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  test: { name: 'cli', testTimeout: 30_000, hookTimeout: 30_000 },
})
