import { createInvoker } from '@servey/core'
import { runConformanceSuite } from '@servey/testing'
import { createRestClient } from './rest-client.ts'
import { createServer } from './create-server.ts'

runConformanceSuite({
  name: 'rest',
  setup: async (registry) => {
    const app = await createServer({ invoker: createInvoker(registry) })
    return { client: createRestClient(app), close: () => app.close() }
  },
})
