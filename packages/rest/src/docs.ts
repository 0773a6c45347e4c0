import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * `/openapi.json` and Swagger UI at `/docs`. The document is generated from the registry, not
 * from Fastify's routes, so @fastify/swagger runs in static mode; Swagger UI's assets come
 * from the npm package, so the page works with no internet.
 */
export async function registerDocs(
  app: FastifyInstance,
  document: Record<string, unknown>,
): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: document as never } })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, displayRequestDuration: true },
  })
  const body = JSON.stringify(document)
  app.get('/openapi.json', { schema: { hide: true } }, (_request, reply) => {
    reply.type('application/json; charset=utf-8').send(body)
  })
}
