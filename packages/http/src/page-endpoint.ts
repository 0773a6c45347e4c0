import {
  ActionError,
  isRedirect,
  type InvokeRequest,
  type Invoker,
  type Logger,
  type RegisteredAction,
  type PageTrigger,
} from '@servey/core/adapter'
import type { RouteHandler } from './action-endpoint.ts'
import { cachedResponse, routeCaching } from './cache-headers.ts'
import { headerOf, type HttpRequest, type HttpResponse } from './http-message.ts'
import { HTML_CONTENT_TYPE, type PageRenderer } from './page-renderer.ts'
import { formatChallenge } from './problem-response.ts'
import { queryParamsOf, rawQueryOf } from './query.ts'
import type { PageRoute } from './route-table.ts'

/** HTML pages from nunjucks templates, for actions with a `page()` trigger. */
export interface HttpPagesOptions {
  /** The folder of nunjucks templates (`<action_name>.njk`, `error.njk`, `404.njk`, layouts). */
  readonly templates: string
  /**
   * Where a page sends a caller who is not logged in (303, with `?next=<the page>`), instead
   * of rendering a 401 page.
   */
  readonly loginPath?: string | undefined
}

export interface PageSettings {
  readonly invoker: Invoker
  readonly renderer: PageRenderer
  readonly loginPath: string | undefined
  readonly realm: string | undefined
  /** Longest accepted query string in characters. */
  readonly queryLimit: number
}

class PageInvokeRequest implements InvokeRequest {
  readonly action: RegisteredAction
  readonly trigger: PageTrigger
  readonly input: unknown
  readonly inputSource = 'strings' as const
  readonly requestId: string
  readonly log: Logger | undefined
  readonly authorizationHeader: string | undefined
  readonly #request: HttpRequest

  constructor(route: PageRoute, input: unknown, request: HttpRequest) {
    this.action = route.action
    this.trigger = route.trigger
    this.input = input
    this.requestId = request.requestId
    this.log = request.log
    this.authorizationHeader = headerOf(request.headers, 'authorization')
    this.#request = request
  }

  get signal(): AbortSignal | undefined {
    return this.#request.signal
  }
}

function html(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { ...headers, 'content-type': HTML_CONTENT_TYPE }, body }
}

/**
 * An error as a page: the app's `404.njk` or `error.njk` (or a built-in page) with the error's
 * status and `WWW-Authenticate` challenge; or, for a caller with no token and a login page,
 * a 303 to it with `?next=` the page asked for.
 */
export function errorPage(
  request: HttpRequest,
  error: ActionError,
  settings: Pick<PageSettings, 'renderer' | 'realm'>,
  loginPath?: string,
): HttpResponse {
  if (error.code === 'UNAUTHENTICATED' && loginPath !== undefined) {
    const query = rawQueryOf(request)
    const target = query === '' ? request.path : `${request.path}?${query}`
    return {
      status: 303,
      headers: { location: `${loginPath}?next=${encodeURIComponent(target)}` },
      body: undefined,
    }
  }
  const headers: Record<string, string> = {}
  if (error.challenge !== undefined) {
    headers['www-authenticate'] = formatChallenge(error.challenge, settings.realm)
  }
  return html(error.status, settings.renderer.renderError(error, request.requestId), headers)
}

/**
 * One page route: the query string (and path parameters) are the params, the result is
 * rendered as `model`, a `redirect()` result answers with `Location`, failures render the
 * error page. Cache policy and access control apply as on any route: the call goes through
 * the same pipeline.
 */
export function createPageEndpoint(route: PageRoute, settings: PageSettings): RouteHandler {
  const { action, templateFile } = route
  const { invoker, renderer, loginPath } = settings
  const caching = routeCaching(action.definition.cache, action.definition.access, 'GET')
  const hasPathParams = route.template.params.length > 0

  return async (request, params) => {
    let input: Record<string, unknown>
    try {
      input = queryParamsOf(request, settings.queryLimit)
    } catch (thrown) {
      return errorPage(request, thrown as ActionError, settings)
    }
    if (hasPathParams && params !== undefined) input = { ...input, ...params }
    const outcome = await invoker.invoke(new PageInvokeRequest(route, input, request))
    if (!outcome.ok) return errorPage(request, outcome.error, settings, loginPath)
    const result = outcome.result
    if (isRedirect(result)) {
      return { status: result.status, headers: { location: result.location }, body: undefined }
    }
    let body: string
    try {
      body = renderer.render(templateFile, { model: result })
    } catch (error) {
      request.log?.error(
        { err: error, action: action.name, template: templateFile },
        'template failed',
      )
      const failure = new ActionError('INTERNAL', 'The page could not be rendered', {
        cause: error,
      })
      return errorPage(request, failure, settings)
    }
    return cachedResponse(request, caching, HTML_CONTENT_TYPE, body)
  }
}
