// Child process: the baseline. The same two routes written by hand on Fastify, with the same
// TypeBox schemas for input and response, and the same wire format as Servey. Its logger is
// Fastify's (pino JSON lines at info, one per request received and one per answer, to stdout),
// writing through the destination `servey start` uses (pino's, in byte mode): the same lines
// written the same way, so that the ratio measures the framework and not the log destination.
// RAW_LOGGER=text writes them through pino's default destination (Fastify's `logger: true`),
// which costs more per line under load (BENCHMARKS.md, 2026-12-07 15:25 to 16:10); RAW_LOGGER=off
// measures it without logs.
import { jsonLogDestination } from '@servey/rest'
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

const logging = process.env['RAW_LOGGER']
const app = Fastify({
  logger: logging === 'off' ? false : logging === 'text' ? true : { stream: jsonLogDestination(1) },
})

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
