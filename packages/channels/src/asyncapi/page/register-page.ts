import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PAGE_CSS } from './page-css.ts'
import { PAGE_HTML } from './page-html.ts'
import { PAGE_JS } from './page-js.ts'

/**
 * `GET /asyncapi`: the channels' docs page with a try-it panel. Hand-written (about 150 lines
 * of script) rather than @asyncapi/react-component's standalone bundle: the page must also
 * connect, authenticate and show live frames, which no renderer does, and this way it has no
 * asset beyond its own three responses, so nothing can reach a CDN.
 */
export function registerAsyncApiPage(app: FastifyInstance): void {
  const route = (type: string, body: string) => async (_: FastifyRequest, reply: FastifyReply) =>
    reply.type(type).header('cache-control', 'no-cache').send(body)
  app.get('/asyncapi', route('text/html; charset=utf-8', PAGE_HTML))
  app.get('/asyncapi/page.js', route('text/javascript; charset=utf-8', PAGE_JS))
  app.get('/asyncapi/page.css', route('text/css; charset=utf-8', PAGE_CSS))
}
