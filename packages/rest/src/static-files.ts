import { resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** Pages (rendered by `@servey/http`) and static files. See docs/reference/pages.md. */
export interface PagesOptions {
  /** The folder of nunjucks templates (`<action_name>.njk`, `error.njk`, `404.njk`, layouts). */
  readonly templates?: string
  /** A folder served as static files at `/` (`public/index.html` is `/`). */
  readonly public?: string
  /**
   * Where a page sends a caller who is not logged in (303, with `?next=<the page>`), instead
   * of rendering a 401 page.
   */
  readonly loginPath?: string
  /** `Cache-Control: max-age` of static files, in seconds. Default 0 (revalidate by ETag). */
  readonly staticMaxAge?: number
}

/** Static files from the `public` folder at `/`, with ETags and Last-Modified. */
export async function registerStaticFiles(
  app: FastifyInstance,
  options: PagesOptions | undefined,
): Promise<void> {
  if (options?.public === undefined) return
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
