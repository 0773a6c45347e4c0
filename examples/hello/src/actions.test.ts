import { createInvoker, createRegistry } from '@servey/core'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'
import * as actions from './actions.ts'

defineExampleTests(actions, {
  clients: async () => {
    const app = await createServer({ invoker: createInvoker(createRegistry(actions)) })
    return [{ ...createRestClient(app), close: () => app.close() }]
  },
})
