import type { Trigger } from './trigger.ts'

export const WEB_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
export type WebMethod = (typeof WEB_METHODS)[number]

/** Methods whose input is read from the query string rather than a body. */
export const QUERY_METHODS: ReadonlySet<WebMethod> = new Set(['GET', 'DELETE'])

/**
 * An HTTP route. Without `path` the route is `/actions/<kebab-name>`; a custom path uses
 * `:name` segments, which become path parameters and take precedence over query or body values.
 */
export interface WebTrigger extends Trigger {
  readonly kind: 'web'
  readonly method: WebMethod
  readonly path?: string
}

export interface WebTriggerOptions {
  readonly method?: WebMethod
  readonly path?: string
}

export function web(options: WebTriggerOptions = {}): WebTrigger {
  const trigger: { kind: 'web'; method: WebMethod; path?: string } = {
    kind: 'web',
    method: options.method ?? 'POST',
  }
  if (options.path !== undefined) trigger.path = options.path
  return Object.freeze(trigger)
}

export const WEB_GET = web({ method: 'GET' })
export const WEB_POST = web({ method: 'POST' })
export const WEB_PUT = web({ method: 'PUT' })
export const WEB_PATCH = web({ method: 'PATCH' })
export const WEB_DELETE = web({ method: 'DELETE' })

export function isWebTrigger(trigger: Trigger): trigger is WebTrigger {
  return trigger.kind === 'web'
}

// `/`, or one or more `/segment`s; a segment is literal URL-safe text or a `:name` parameter.
const PATH_PATTERN = /^(?:\/|(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*))+)$/

export function isValidWebPath(path: string): boolean {
  return PATH_PATTERN.test(path)
}

/** The `:name` parameters of a custom path, in order. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string)
}

/** The route of a web trigger: its custom path, else `/actions/<kebab-name>`. */
export function webPathOf(kebabName: string, trigger: WebTrigger): string {
  return trigger.path ?? `/actions/${kebabName}`
}
