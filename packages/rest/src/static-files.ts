import { resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import { ActionError, type Invoker } from '@servey/core/adapter'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PageRenderer } from './page-renderer.ts'
import { registerPageRoutes, sendErrorPage, type PagesOptions } from './page-routes.ts'

/** Answers a browser's unknown URL with the 404 page; API clients keep problem+json. */
export type HtmlNotFound = (
  request: FastifyRequest,
  reply: FastifyReply,
) => FastifyReply | undefined

/**
 * Pages and static files. Page triggers are served only when there is a templates folder, as
 * the docs are only when asked for: a server built for the JSON API alone ignores them.
 * Returns the not-found answer for browsers when there are
 * templates, so the whole server shows one 404 page.
 */
export async function registerPages(
  app: FastifyInstance,
  invoker: Invoker,
  options: PagesOptions | undefined,
  dev: boolean,
): Promise<HtmlNotFound | undefined> {
  if (options === undefined) return undefined
  let renderer: PageRenderer | undefined
  if (options.templates !== undefined) {
    renderer = new PageRenderer(options.templates, dev)
    registerPageRoutes(app, invoker, renderer, options)
  }
  if (options.public !== undefined) {
    await app.register(fastifyStatic, {
      root: resolve(options.public),
      prefix: '/',
      // Swagger UI registers @fastify/static too; only one may decorate the reply.
      decorateReply: false,
      etag: true,
      lastModified: true,
      cacheControl: true,
      maxAge: (options.staticMaxAge ?? 0) * 1000,
    })
  }
  if (renderer === undefined) return undefined
  const pages = renderer
  return (request, reply) => {
    const accept = request.headers.accept ?? ''
    if (!accept.includes('text/html') || request.url.startsWith('/actions/')) return undefined
    const error = new ActionError('NOT_FOUND', `No page at ${request.url.split('?')[0]}`)
    return sendErrorPage(request, reply, error, pages, undefined)
  }
}
