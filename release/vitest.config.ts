import { defineProject } from 'vitest/config'

// Packing runs the build (turbo, cached when nothing changed) and pnpm, so hooks get room.
export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  test: { name: 'release', testTimeout: 60_000, hookTimeout: 240_000 },
})
