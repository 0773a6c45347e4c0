// Start-up: Hono on @hono/node-server with 100 routes validated by @hono/zod-validator.
import { serve } from '@hono/node-server'
import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { announceReady } from '../../lib/server-process.ts'
import { greet } from '../../rest/schemas.ts'
import { SayHelloQuery } from '../zod-schemas.ts'
import { STARTUP_ROUTES, portFromEnv, startupPath } from './routes.ts'

const app = new Hono()
for (let index = 0; index < STARTUP_ROUTES; index++) {
  app.get(startupPath(index), zValidator('query', SayHelloQuery), (c) =>
    c.json(greet(c.req.valid('query').name)),
  )
}
const server = serve({ fetch: app.fetch, port: portFromEnv(), hostname: '127.0.0.1' }, (info) => {
  announceReady(
    `http://127.0.0.1:${info.port}`,
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  )
})
