import FindMyWay from 'find-my-way'
import {
  isPageTrigger,
  isWebTrigger,
  pagePathOf,
  pageTemplateOf,
  webPathOf,
  type PageTrigger,
  type RegisteredAction,
  type Registry,
  type WebMethod,
  type WebTrigger,
} from '@servey/core/adapter'
import { httpDefinitionErrors } from './errors.ts'
import { RESERVED_PATHS } from './health.ts'
import { parsePathTemplate, type PathTemplate } from './path-template.ts'

/** An action served as JSON: one per web trigger. */
export interface ActionRoute {
  readonly kind: 'action'
  readonly method: WebMethod
  readonly template: PathTemplate
  readonly action: RegisteredAction
  readonly trigger: WebTrigger
}

/** An action served as an HTML page: one per page trigger, always GET. */
export interface PageRoute {
  readonly kind: 'page'
  readonly method: 'GET'
  readonly template: PathTemplate
  readonly action: RegisteredAction
  readonly trigger: PageTrigger
  /** The nunjucks template, relative to the templates folder. */
  readonly templateFile: string
}

export type HttpRoute = ActionRoute | PageRoute

export type RouteMatch =
  | {
      readonly kind: 'route'
      readonly route: HttpRoute
      readonly params: Readonly<Record<string, string | undefined>>
    }
  /** The path is served, not with this method: a 405 with `Allow`. */
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-found' }
  /** The path does not decode (`/%E0%A4%A`), or a parameter is too long: a 400. */
  | { readonly kind: 'bad-request'; readonly detail: string }

/** Every route of a registry, checked once; see `createRouteTable`. */
export interface RouteTable {
  /** Action routes first, then pages, each in the registry's name order. */
  readonly routes: readonly HttpRoute[]
  readonly actionRoutes: readonly ActionRoute[]
  readonly pageRoutes: readonly PageRoute[]
  /** The `Allow` header of each path that has routes (`GET, HEAD, POST`). */
  readonly allowByPath: ReadonlyMap<string, string>
  /** For transports that do not route by themselves (an API Gateway `{proxy+}` resource). */
  match(method: string, path: string): RouteMatch
}

const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The routes of every web and page trigger. Two routes that would answer the same requests
 * (`GET /items/:id` and `GET /items/:key`, or a page and a GET action on one path) fail here
 * with `SERVEY_ERR_HTTP_ROUTE_CONFLICT`, naming both actions, on every transport alike.
 */
export interface RouteTableOptions {
  /** Include the routes of page triggers. Default true. */
  readonly pages?: boolean
}

export function createRouteTable(registry: Registry, options: RouteTableOptions = {}): RouteTable {
  const claimed = new Map<string, HttpRoute>()
  const claim = (route: HttpRoute): void => {
    // Probes must reach the server's own answer whatever the app declares, so a literal claim
    // fails loudly; a parameter path such as `/:slug` still matches them, and the server's
    // static routes win there (documented in docs/reference/health.md).
    if (RESERVED_PATHS.has(route.template.path)) {
      throw httpDefinitionErrors.SERVEY_ERR_HTTP_ROUTE_RESERVED(
        route.action.name,
        route.method,
        route.template.path,
      )
    }
    const key = `${route.method} ${route.template.shape}`
    const existing = claimed.get(key)
    // The same action twice on one route (a trigger listed twice) is not a conflict.
    if (existing !== undefined && existing.action !== route.action) {
      throw httpDefinitionErrors.SERVEY_ERR_HTTP_ROUTE_CONFLICT(
        existing.action.name,
        route.action.name,
        route.method,
        route.template.path,
      )
    }
    if (existing === undefined) claimed.set(key, route)
  }
  const actionRoutes: ActionRoute[] = []
  for (const { action, trigger } of registry.triggersOf<WebTrigger>('web')) {
    if (!isWebTrigger(trigger)) continue
    const template = parsePathTemplate(webPathOf(action.kebabName, trigger))
    const route: ActionRoute = { kind: 'action', method: trigger.method, template, action, trigger }
    const before = claimed.size
    claim(route)
    if (claimed.size > before) actionRoutes.push(route)
  }
  const pageRoutes: PageRoute[] = []
  const pageTriggers = options.pages === false ? [] : registry.triggersOf<PageTrigger>('page')
  for (const { action, trigger } of pageTriggers) {
    if (!isPageTrigger(trigger)) continue
    const route: PageRoute = {
      kind: 'page',
      method: 'GET',
      template: parsePathTemplate(pagePathOf(action.kebabName, trigger)),
      action,
      trigger,
      templateFile: pageTemplateOf(action.name, trigger),
    }
    const before = claimed.size
    claim(route)
    if (claimed.size > before) pageRoutes.push(route)
  }
  const routes: HttpRoute[] = [...actionRoutes, ...pageRoutes]

  const methodsByPath = new Map<string, Set<string>>()
  for (const route of routes) {
    const methods = methodsByPath.get(route.template.path) ?? new Set<string>()
    methods.add(route.method)
    if (route.method === 'GET') methods.add('HEAD')
    methodsByPath.set(route.template.path, methods)
  }
  const allowByPath = new Map(
    [...methodsByPath].map(([path, methods]) => [
      path,
      ROUTE_METHODS.filter((method) => methods.has(method)).join(', '),
    ]),
  )

  // find-my-way is the router under Fastify: a transport that routes here matches exactly
  // the requests Fastify would (decoding, parameter rules, length limits).
  // A path that does not decode, or a parameter over the limit, finds a handler with a null
  // store; calling it returns the reason given here.
  const noop = () => undefined
  const router = FindMyWay({
    onBadUrl: () => 'The URL is not valid',
    onMaxParamLength: () => 'A path parameter is too long',
    maxParamLength: 100,
  })
  for (const route of routes) {
    router.on(route.method, route.template.path, noop, { route })
    if (route.method === 'GET') router.on('HEAD', route.template.path, noop, { route })
  }
  // Every served path once, whatever its methods: the store says which methods to allow.
  const anyMethod = FindMyWay()
  for (const [path, allow] of allowByPath) anyMethod.on('GET', path, noop, { allow })

  return {
    routes,
    actionRoutes,
    pageRoutes,
    allowByPath,
    match(method, path) {
      const found = router.find(method as 'GET', path)
      if (found !== null) {
        if (found.store === null) {
          const detail = (found.handler as unknown as () => string)()
          return { kind: 'bad-request', detail }
        }
        return {
          kind: 'route',
          route: (found.store as { route: HttpRoute }).route,
          params: found.params,
        }
      }
      const other = anyMethod.find('GET', path)
      if (other === null) return { kind: 'not-found' }
      return { kind: 'method-not-allowed', allow: (other.store as { allow: string }).allow }
    },
  }
}
