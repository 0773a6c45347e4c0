/**
 * A route path, parsed once and handed to everything that needs it in another spelling:
 * routers take `/orders/:id`, OpenAPI and API Gateway `/orders/{id}`, clients fill it in.
 */
export interface PathTemplate {
  /** `/orders/:id`: what core's triggers declare, and what Fastify and find-my-way route. */
  readonly path: string
  /** `/orders/{id}`: OpenAPI paths and API Gateway resources. */
  readonly openApiPath: string
  /** The parameter names, in order. */
  readonly params: readonly string[]
  /** `/orders/:`: two templates with the same shape match the same requests. */
  readonly shape: string
  /** The path with each parameter filled in (URL-encoded), and the values not used by it. */
  expand(values: Readonly<Record<string, unknown>>): {
    readonly path: string
    readonly rest: Record<string, unknown>
  }
}

type Segment = { readonly literal: string } | { readonly param: string }

// Core's triggers have validated the path already (`/` and `:name` segments).
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/

export function parsePathTemplate(path: string): PathTemplate {
  const segments: Segment[] = path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = PARAM.exec(segment)?.[1]
      return param === undefined ? { literal: segment } : { param }
    })
  const spell = (param: (name: string) => string): string =>
    `/${segments.map((segment) => ('param' in segment ? param(segment.param) : segment.literal)).join('/')}`
  const params = segments.flatMap((segment) => ('param' in segment ? [segment.param] : []))
  return {
    path,
    openApiPath: spell((name) => `{${name}}`),
    params,
    shape: spell(() => ':'),
    expand(values) {
      const rest: Record<string, unknown> = { ...values }
      for (const name of params) delete rest[name]
      return { path: spell((name) => encodeURIComponent(String(values[name]))), rest }
    },
  }
}
