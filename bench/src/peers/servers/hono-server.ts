// Child process: Hono 4 on @hono/node-server, validating with @hono/zod-validator, as Hono's
// validation guide shows. No logger middleware: Hono logs nothing unless one is added.
import { serve } from '@hono/node-server'
import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { announceReady } from '../../lib/server-process.ts'
import { acceptOrder, greet } from '../../rest/schemas.ts'
import { CreateOrderBody, SayHelloQuery } from '../zod-schemas.ts'

const app = new Hono()

app.get('/actions/say-hello', zValidator('query', SayHelloQuery), (c) =>
  c.json(greet(c.req.valid('query').name)),
)

app.post('/actions/create-order', zValidator('json', CreateOrderBody), (c) =>
  c.json(acceptOrder(c.req.valid('json'))),
)

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  announceReady(
    `http://127.0.0.1:${info.port}`,
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  )
})
