import { createInvoker, createRegistry } from '@servey/core'
import {
  normalizeHeaders,
  runHttpConformanceSuite,
  sendOverHttp,
  type HttpConformanceApp,
} from '@servey/testing'
import type { FastifyInstance } from 'fastify'
import inject from 'light-my-request'
import { createServer } from './create-server.ts'

function serve(app: HttpConformanceApp): Promise<FastifyInstance> {
  const invoker = createInvoker(createRegistry(app.actions), { authenticator: app.authenticator })
  return createServer({
    invoker,
    bodyLimit: app.bodyLimit,
    jobs: { runner: app.jobRunner(invoker) },
  })
}

runHttpConformanceSuite({
  name: 'rest (inject)',
  setup: async (app) => {
    const server = await serve(app)
    return {
      // Fastify's `inject` is light-my-request over the server's request listener. It resolves
      // the URL first (`/items/..` becomes `/`), as a browser would; the dispatch puts the
      // target back as written, so dot segments reach the server as they do over a socket.
      send: async (request) => {
        const response = await inject(
          (req, res) => {
            req.url = request.target
            server.server.emit('request', req, res)
          },
          {
            method: request.method as 'GET',
            url: request.target,
            headers: request.headers,
            ...(request.body === undefined ? {} : { payload: Buffer.from(request.body) }),
          },
        )
        return {
          status: response.statusCode,
          headers: normalizeHeaders(response.headers),
          body: response.body,
        }
      },
      close: () => server.close(),
    }
  },
})

runHttpConformanceSuite({
  name: 'rest (port)',
  setup: async (app) => {
    const server = await serve(app)
    const url = await server.listen({ host: '127.0.0.1', port: 0 })
    return { send: sendOverHttp(url), close: () => server.close() }
  },
})
