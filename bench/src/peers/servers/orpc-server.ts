// Child process: oRPC procedures with OpenAPI routes (`.route({ method, path })`), served by
// its OpenAPIHandler on node:http as oRPC's Node adapter guide shows; zod 4 is a Standard
// Schema, which oRPC validates directly.
import { createServer } from 'node:http'
import { OpenAPIHandler } from '@orpc/openapi/node'
import { os } from '@orpc/server'
import { listenAndAnnounce } from './announce-node-server.ts'
import { acceptOrder, greet } from '../../rest/schemas.ts'
import { CreateOrderBody, SayHelloQuery } from '../zod-schemas.ts'

const router = {
  sayHello: os
    .route({ method: 'GET', path: '/actions/say-hello' })
    .input(SayHelloQuery)
    .handler(({ input }) => greet(input.name)),
  createOrder: os
    .route({ method: 'POST', path: '/actions/create-order' })
    .input(CreateOrderBody)
    .handler(({ input }) => acceptOrder(input)),
}

const handler = new OpenAPIHandler(router)

// oRPC's guide passes an async listener; the promise is handled here instead, so that a
// rejection (none is expected: the handler answers errors itself) cannot go unnoticed.
const server = createServer((request, response) => {
  handler.handle(request, response, { context: {} }).then(
    ({ matched }) => {
      if (!matched) {
        response.statusCode = 404
        response.end('Not found')
      }
    },
    (error: unknown) => {
      response.statusCode = 500
      response.end(String(error))
    },
  )
})
await listenAndAnnounce(server)
