// Child process: the baseline. The same two routes written by hand on Fastify, with the same
// TypeBox schemas for input and response, and the same wire format as Servey.
import Fastify from 'fastify'
import { announceReady } from '../lib/server-process.ts'
import {
  CreateOrderParams,
  CreateOrderResult,
  SayHelloParams,
  SayHelloResult,
  acceptOrder,
  greet,
  type Order,
} from './schemas.ts'

const app = Fastify({ logger: false })

app.get<{ Querystring: { name: string } }>(
  '/actions/say-hello',
  { schema: { querystring: SayHelloParams, response: { 200: SayHelloResult } } },
  async (request, reply) =>
    // A string is sent as text/plain by Fastify; a JSON API encodes it itself, as Servey does.
    reply.type('application/json; charset=utf-8').send(JSON.stringify(greet(request.query.name))),
)

app.post<{ Body: Order }>(
  '/actions/create-order',
  { schema: { body: CreateOrderParams, response: { 200: CreateOrderResult } } },
  async (request) => acceptOrder(request.body),
)

const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
