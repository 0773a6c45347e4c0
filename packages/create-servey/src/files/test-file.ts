import type { TriggerChoice } from '../triggers.ts'

/** src/actions.test.ts: every example runs in-process, over REST and over GraphQL. */
export function testFile(triggers: readonly TriggerChoice[]): string {
  const overHttp = triggers.includes('web') || triggers.includes('job')
  if (!overHttp) {
    return `import { defineExampleTests } from '@servey/testing'

// Every example of every action becomes a test, called in-process on a freshly loaded app.
defineExampleTests(() => import('./actions.ts'))
`
  }
  return `import { createInvoker } from '@servey/core'
import { createGraphQLClient, serveyGraphql } from '@servey/graphql'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'

// Every example of every action becomes a test: called in-process, over REST and over GraphQL,
// against a real server (Fastify's inject: no port is opened). Each run loads the app afresh,
// so state kept in a module (an in-memory store) starts empty every time.
defineExampleTests(() => import('./actions.ts'), {
  clients: async (registry) => {
    const invoker = createInvoker(registry)
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
