// Child process: the baseline. The same two routes written by hand on Fastify, with the same
// TypeBox schemas for input and response, and the same wire format as Servey. Its logger is
// Fastify's `logger: true` (pino JSON lines at info, one per request received and one per
// answer, to stdout): what `servey start` ships with by default, so neither side is measured
// with its logging off. RAW_LOGGER=off measures it without.
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

const app = Fastify({ logger: process.env['RAW_LOGGER'] !== 'off' })

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

const url = await app.listen({ port: Number(process.env['PORT'] ?? 0), host: '127.0.0.1' })
announceReady(url, () => app.close())
