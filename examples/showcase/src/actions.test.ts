import {
  createChannelHub,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  generateSecret,
} from '@servey/core'
import { createGraphQLClient, serveyGraphql } from '@servey/graphql'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'
import * as actions from './actions/index.ts'

// Examples that name a caller run over REST and GraphQL with a real token, verified by the
// server.
const secret = generateSecret()

defineExampleTests(actions, {
  clients: async () => {
    const authenticator = await createJwtAuthenticator({ secret })
    const registry = createRegistry(actions)
    // broadcast_message publishes: its examples need a hub to publish through.
    const hub = createChannelHub(registry)
    const invoker = createInvoker(registry, { authenticator, channels: hub })
    const app = await createServer({
      invoker,
      extend: (server) => server.register(serveyGraphql, { invoker }),
    })
    const issuer = createJwtIssuer({ secret })
    const rest = createRestClient(app, { issuer })
    const graphql = createGraphQLClient(app, { issuer })
    // One server for both clients: closing it once is enough.
    const close = async () => {
      await app.close()
      await hub.close()
    }
    return [{ ...rest, close }, graphql]
  },
})
