import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  test: { name: 'webhooks' },
})
