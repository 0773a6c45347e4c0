import type { TriggerChoice } from '../triggers.ts'

/** src/actions.test.ts: every example runs in-process, over REST and over GraphQL. */
export function testFile(triggers: readonly TriggerChoice[]): string {
  const overHttp = triggers.includes('web') || triggers.includes('job')
  if (!overHttp) {
    return `import { defineExampleTests } from '@servey/testing'
import * as actions from './actions.ts'

// Every example of every action becomes a test, called in-process.
defineExampleTests(actions)
`
  }
  return `import { createInvoker, createRegistry } from '@servey/core'
import { createGraphQLClient, serveyGraphql } from '@servey/graphql'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'
import * as actions from './actions.ts'

// Every example of every action becomes a test: called in-process, over REST and over GraphQL,
// against a real server (Fastify's inject: no port is opened).
defineExampleTests(actions, {
  clients: async () => {
    const invoker = createInvoker(createRegistry(actions))
    const app = await createServer({
      invoker,
      extend: (server) => server.register(serveyGraphql, { invoker }),
    })
    // One server for both clients: closing it once is enough.
    return [{ ...createRestClient(app), close: () => app.close() }, createGraphQLClient(app)]
  },
})
`
}
