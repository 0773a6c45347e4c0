import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  // Real servers and websocket clients: on a loaded machine the README example's first import
  // alone took over vitest's 5 s default (a fresh-clone CI run beside other work).
  test: { name: 'channels', testTimeout: 30_000 },
})
