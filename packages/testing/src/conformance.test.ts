import { createInProcessClient, createInvoker } from '@servey/core'
import { runConformanceSuite } from './conformance-suite.ts'

runConformanceSuite({
  name: 'in-process',
  setup: async (registry) => ({
    client: createInProcessClient(createInvoker(registry)),
    close: async () => {},
  }),
})
