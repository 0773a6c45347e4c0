import { createInvoker } from '@servey/core'
import { runConformanceSuite } from '@servey/testing'
import Fastify from 'fastify'
import { createGraphQLClient } from './client/graphql-client.ts'
import { createServeyYoga } from './server/create-yoga.ts'
import { serveyGraphql } from './server/plugin.ts'

runConformanceSuite({
  name: 'graphql',
  setup: async (registry) => {
    const app = Fastify()
    await app.register(serveyGraphql, { invoker: createInvoker(registry) })
    await app.ready()
    return { client: createGraphQLClient(app), close: () => app.close() }
  },
})

runConformanceSuite({
  name: 'graphql (yoga.fetch)',
  setup: async (registry) => {
    const yoga = createServeyYoga({ invoker: createInvoker(registry), logging: false })
    return { client: createGraphQLClient(yoga), close: async () => {} }
  },
})
