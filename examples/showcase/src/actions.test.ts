import {
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  generateSecret,
} from '@servey/core'
import { createRestClient, createServer } from '@servey/rest'
import { defineExampleTests } from '@servey/testing'
import * as actions from './actions/index.ts'

// Examples that name a caller run over REST with a real token, verified by the server.
const secret = generateSecret()

defineExampleTests(actions, {
  clients: async () => {
    const authenticator = await createJwtAuthenticator({ secret })
    const app = await createServer({
      invoker: createInvoker(createRegistry(actions), { authenticator }),
    })
    const rest = createRestClient(app, { issuer: createJwtIssuer({ secret }) })
    return [{ ...rest, close: () => app.close() }]
  },
})
