import { createInvoker } from '@servey/core'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'

// Every example runs in-process and over REST, each run against a freshly loaded app: state an
// action keeps in its module (an in-memory store) starts empty for every run.
defineExampleTests(() => import('./actions.ts'), {
  clients: async (registry) => {
    const app = await createServer({ invoker: createInvoker(registry) })
    return [{ ...createRestClient(app), close: () => app.close() }]
  },
})
