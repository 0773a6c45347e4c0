import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { createServedOpenApi, type OpenApiServer } from '@servey/http'
import type { FastifyInstance } from 'fastify'
import { registerRedoc } from './redoc.ts'

/**
 * `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`. The document is generated from the registry, not
 * from Fastify's routes, so @fastify/swagger runs in static mode; Swagger UI's assets come
 * from the npm package, so the page works with no internet. Unless the app configured
 * `servers`, `/openapi.json` names the origin the request came to (see @servey/http).
 */
export async function registerDocs(
  app: FastifyInstance,
  document: Record<string, unknown>,
  servers: readonly OpenApiServer[] | undefined,
): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { document: document as never } })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, displayRequestDuration: true },
  })
  registerRedoc(app)
  const served = createServedOpenApi(document, servers)
  app.get('/openapi.json', { schema: { hide: true } }, (request, reply) => {
    // request.host honours X-Forwarded-Host only when trustProxy is on.
    reply
      .type('application/json; charset=utf-8')
      .send(served({ protocol: request.protocol, host: request.host }))
  })
}
