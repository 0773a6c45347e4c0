import {
  ActionError,
  isPageTrigger,
  isRedirect,
  pagePathOf,
  pageTemplateOf,
  pathParamsOf,
  type Invoker,
  type PageTrigger,
  type RegisteredAction,
} from '@servey/core/adapter'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { collectWebRoutes } from '../action-routes.ts'
import { cacheHeadersOf } from '../cache-headers.ts'
import { restDefinitionErrors } from '../errors.ts'
import { readQuery } from '../query.ts'
import { HTML_CONTENT_TYPE, type PageRenderer } from './page-renderer.ts'

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

export interface PageRoute {
  readonly action: RegisteredAction
  readonly trigger: PageTrigger
  readonly path: string
  readonly template: string
}

export function collectPageRoutes(invoker: Invoker): PageRoute[] {
  const routes: PageRoute[] = []
  for (const { action, trigger } of invoker.registry.triggersOf<PageTrigger>('page')) {
    if (!isPageTrigger(trigger)) continue
    routes.push({
      action,
      trigger,
      path: pagePathOf(action.kebabName, trigger),
      template: pageTemplateOf(action.name, trigger),
    })
  }
  return routes
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type(HTML_CONTENT_TYPE).send(html)
}

/** An error answered as a page, or as a redirect to the login page for a caller with no token. */
export function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ActionError,
  renderer: PageRenderer,
  loginPath: string | undefined,
): FastifyReply {
  if (error.code === 'UNAUTHENTICATED' && loginPath !== undefined) {
    return reply.redirect(`${loginPath}?next=${encodeURIComponent(request.url)}`, 303)
  }
  return sendHtml(reply, error.status, renderer.renderError(error, request.id))
}

/**
 * A GET route per page trigger (HEAD too): the query string (and path parameters) are the
 * params, the result is rendered as `model`, a `redirect()` result answers with `Location`,
 * and failures render the error page. The action's cache policy and access control apply
 * as on any route, because the call goes through the same pipeline.
 */
export function registerPageRoutes(
  app: FastifyInstance,
  invoker: Invoker,
  renderer: PageRenderer,
  options: PagesOptions,
): void {
  // Fastify would refuse a second GET on one path with an uncoded error; name both actions.
  const claimed = new Map<string, string>()
  for (const route of collectWebRoutes(invoker.registry)) {
    if (route.method === 'GET') claimed.set(route.path.replace(/:[^/]+/g, ':'), route.action.name)
  }
  for (const route of collectPageRoutes(invoker)) {
    const { action, trigger, path, template } = route
    const shape = path.replace(/:[^/]+/g, ':')
    const other = claimed.get(shape)
    if (other !== undefined) {
      throw restDefinitionErrors.SERVEY_ERR_REST_ROUTE_CONFLICT(other, action.name, 'GET', path)
    }
    claimed.set(shape, action.name)
    renderer.check(template, action.name)
    const hasPathParams = pathParamsOf(path).length > 0
    const { cacheControl, onSend } = cacheHeadersOf(
      action.definition.cache,
      action.definition.access,
      'GET',
    )
    app.route({
      method: 'GET',
      url: path,
      ...(onSend === undefined ? {} : { onSend }),
      handler: async (request, reply) => {
        let input: Record<string, unknown> = readQuery(request.query, request.url)
        if (hasPathParams) input = { ...input, ...(request.params as object) }
        const outcome = await invoker.invoke({
          action,
          input,
          inputSource: 'strings',
          trigger,
          requestId: request.id,
          log: request.log,
          authorizationHeader: request.headers.authorization,
        })
        if (!outcome.ok) {
          return sendErrorPage(request, reply, outcome.error, renderer, options.loginPath)
        }
        if (isRedirect(outcome.result)) {
          return reply.redirect(outcome.result.location, outcome.result.status)
        }
        let html: string
        try {
          html = renderer.render(template, { model: outcome.result })
        } catch (error) {
          request.log.error({ err: error, action: action.name, template }, 'template failed')
          const failure = new ActionError('INTERNAL', 'The page could not be rendered', {
            cause: error,
          })
          return sendErrorPage(request, reply, failure, renderer, undefined)
        }
        if (cacheControl !== undefined) reply.header('cache-control', cacheControl)
        return sendHtml(reply, 200, html)
      },
    })
  }
}
