// Child process: tRPC 11 on its standalone adapter (node:http), as tRPC's guide shows. tRPC has
// its own URL shape, so this server is asked differently from the others: GET
// /trpc/sayHello?input=<JSON> and POST /trpc/createOrder with the JSON body, and it answers in
// its envelope, {"result":{"data":...}}.
import { initTRPC } from '@trpc/server'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import { listenAndAnnounce } from './announce-node-server.ts'
import { acceptOrder, greet } from '../../rest/schemas.ts'
import { CreateOrderBody, SayHelloQuery } from '../zod-schemas.ts'

const t = initTRPC.create()

const appRouter = t.router({
  sayHello: t.procedure.input(SayHelloQuery).query(({ input }) => greet(input.name)),
  createOrder: t.procedure.input(CreateOrderBody).mutation(({ input }) => acceptOrder(input)),
})

const server = createHTTPServer({ router: appRouter, basePath: '/trpc/' })
await listenAndAnnounce(server)
