import type { FastifyCompressOptions } from '@fastify/compress'
import type { FastifyCorsOptions } from '@fastify/cors'
import type { FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback } from 'fastify'

export type CorsOptions = FastifyCorsOptions
export type HelmetOptions = FastifyHelmetOptions
export type CompressOptions = FastifyCompressOptions

/** Any Fastify plugin, alone or with its options. */
// Plugins take options of their own type; `any` is what Fastify's own `register` accepts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPlugin = FastifyPluginAsync<any> | FastifyPluginCallback<any>
export type ServerPlugin =
  AnyPlugin | { readonly plugin: AnyPlugin; readonly options?: Readonly<Record<string, unknown>> }

export interface ServerPluginOptions {
  /** CORS through @fastify/cors; `{}` allows every origin. Default off. */
  readonly cors?: CorsOptions
  /**
   * Security headers through @fastify/helmet, over `DOCS_CONTENT_SECURITY_POLICY` (which keeps
   * /docs, /redoc, /graphql and /asyncapi working). Default off.
   */
  readonly helmet?: HelmetOptions
  /** Compression (br, gzip, deflate) through @fastify/compress. Default off. */
  readonly compress?: CompressOptions
  /** More Fastify plugins, registered in order after the three above, before Servey's routes. */
  readonly plugins?: readonly ServerPlugin[]
}

/**
 * The Content-Security-Policy directives `helmet` starts from: helmet's defaults, plus what
 * the documentation pages need and nothing from another origin. ReDoc and Swagger UI style
 * elements inline and ReDoc searches in a blob: worker; GraphiQL's page is one document with
 * its scripts inline, so it sends a policy of its own with their hashes. No
 * `upgrade-insecure-requests`: it would break a server on plain http (127.0.0.1 in dev).
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
  upgradeInsecureRequests: null,
} as const

function helmetOptions(options: HelmetOptions): HelmetOptions {
  const csp = options.contentSecurityPolicy
  if (csp === false) return options
  const given = typeof csp === 'object' ? csp : {}
  return {
    ...options,
    contentSecurityPolicy: {
      ...given,
      directives: { ...DOCS_CONTENT_SECURITY_POLICY, ...given.directives },
    },
  }
}

/**
 * Register CORS, helmet, compression and the app's own plugins, in that order, before any
 * route: their hooks must see every route. Each is imported only when asked for.
 */
export async function registerServerPlugins(
  app: FastifyInstance,
  options: ServerPluginOptions,
): Promise<void> {
  if (options.cors !== undefined) {
    const { default: cors } = await import('@fastify/cors')
    await app.register(cors, options.cors)
  }
  if (options.helmet !== undefined) {
    const { default: helmet } = await import('@fastify/helmet')
    await app.register(helmet, helmetOptions(options.helmet))
  }
  if (options.compress !== undefined) {
    const { default: compress } = await import('@fastify/compress')
    await app.register(compress, options.compress)
  }
  for (const entry of options.plugins ?? []) {
    if (typeof entry === 'function') await app.register(entry)
    else await app.register(entry.plugin, entry.options ?? {})
  }
}
