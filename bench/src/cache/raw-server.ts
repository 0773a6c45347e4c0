// Child process: the baseline. Raw Fastify answering the same constant with the same headers,
// and for the ETag route hashing each body and answering 304 by hand.
import Fastify from 'fastify'
import { announceReady } from '../lib/server-process.ts'
import { CACHE_CONTROL, CATALOGUE, CatalogueResult, etagOf } from './constant.ts'

const app = Fastify({ logger: false })

app.get(
  '/actions/cached-catalogue',
  { schema: { response: { 200: CatalogueResult } } },
  async (_request, reply) => reply.header('cache-control', CACHE_CONTROL).send(CATALOGUE),
)

app.get(
  '/actions/tagged-catalogue',
  {
    schema: { response: { 200: CatalogueResult } },
    onSend: async (request, reply, payload) => {
      if (typeof payload !== 'string') return payload
      const etag = etagOf(payload)
      reply.header('etag', etag)
      if (request.headers['if-none-match'] !== etag) return payload
      // The route's schema types the reply as 200-only; 304 carries no body to check.
      void reply.code(304 as 200)
      return ''
    },
  },
  async (_request, reply) => reply.header('cache-control', CACHE_CONTROL).send(CATALOGUE),
)

const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
