import { useGraphQlJit } from '@envelop/graphql-jit'
import type { Invoker } from '@servey/core/adapter'
import { REQUEST_ID_HEADER } from '@servey/http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { GraphQLSchema } from 'graphql'
import { createYoga, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga'
import {
  createRequestScope,
  type RequestScopeOptions,
  type ServeyGraphQLContext,
} from '../execution/request-scope.ts'
import { createGraphQLSchema } from '../schema/create-schema.ts'
import { offlineGraphiQL } from './graphiql.ts'
import {
  disableIntrospection,
  protectionPlugins,
  resolveLimits,
  type GraphQLLimits,
} from './limits.ts'
import { cacheHintsPlugin } from './cache-hints.ts'
import { costLimitPlugin } from './cost-limit.ts'
import { requestParamsPlugin } from './request-params.ts'
import { invalidParamsPlugin } from './servey-plugins.ts'

export interface ServeyYogaOptions {
  readonly invoker: Invoker
  /** Dev mode: masked messages and stacks in errors, field suggestions. Default false. */
  readonly dev?: boolean
  /** GraphiQL on `GET /graphql` for browsers. Default: as `introspection`. */
  readonly graphiql?: boolean
  /** Answer `__schema` queries. Default: on in dev mode and outside NODE_ENV=production. */
  readonly introspection?: boolean
  /** Execute with graphql-jit (compiled queries). Default false. */
  readonly jit?: boolean
  readonly limits?: GraphQLLimits
  /** Where yoga logs what it masks (errors that did not come from an action). */
  readonly logging?: YogaLogger | boolean
}

/** What Fastify hands yoga for each request (see `serveyGraphql`). */
export interface FastifyServerContext {
  readonly req: FastifyRequest
  readonly reply: FastifyReply
}

export type ServeyYoga = YogaServerInstance<Partial<FastifyServerContext>, ServeyGraphQLContext>

const GRAPHQL_PATH = '/graphql'

/** Fires when the client goes away before the answer; the listener is added on first read. */
class ClientGone {
  readonly #reply: FastifyReply
  #signal: AbortSignal | undefined

  constructor(reply: FastifyReply) {
    this.#reply = reply
  }

  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      const controller = new AbortController()
      const raw = this.#reply.raw
      raw.once('close', () => {
        if (!raw.writableFinished) controller.abort()
      })
      this.#signal = controller.signal
    }
    return this.#signal
  }
}

/**
 * The one place the caller's identity is read: the raw Authorization header goes to core,
 * which verifies it for every field, nested ones included.
 */
function authorizationHeaderOf(value: string | null | undefined): string | undefined {
  return value ?? undefined
}

function scopeOptions(
  context: Partial<FastifyServerContext> & { readonly request: Request },
  dev: boolean,
): RequestScopeOptions {
  const { req, reply } = context
  if (req !== undefined && reply !== undefined) {
    return {
      requestId: req.id,
      log: req.log,
      authorizationHeader: authorizationHeaderOf(req.headers.authorization),
      signalSource: new ClientGone(reply),
      dev,
    }
  }
  const { request } = context
  return {
    requestId: request.headers.get(REQUEST_ID_HEADER) ?? undefined,
    authorizationHeader: authorizationHeaderOf(request.headers.get('authorization')),
    signalSource: request,
    dev,
  }
}

function defaultIntrospection(dev: boolean): boolean {
  return dev || process.env['NODE_ENV'] !== 'production'
}

/**
 * graphql-yoga serving a registry's schema through core's invoke pipeline, with Servey's
 * protections: limits on depth, tokens, aliases, cost, directives and batches; introspection
 * and GraphiQL (offline) as configured; parse and validation caching; optional graphql-jit.
 * Mount it with `serveyGraphql` on Fastify, or call `yoga.fetch` directly.
 */
export function createServeyYoga(options: ServeyYogaOptions, schema?: GraphQLSchema): ServeyYoga {
  const dev = options.dev ?? false
  const limits = resolveLimits(options.limits)
  const introspection = options.introspection ?? defaultIntrospection(dev)
  const graphiql = options.graphiql ?? introspection
  const { invoker } = options
  const served = schema ?? createGraphQLSchema(invoker.registry)
  const plugins: Plugin[] = [
    ...protectionPlugins(limits, dev),
    costLimitPlugin(served, limits.cost, dev) as Plugin,
    requestParamsPlugin(),
    invalidParamsPlugin(dev) as Plugin,
    cacheHintsPlugin(invoker.registry),
    ...(introspection ? [] : [disableIntrospection()]),
    ...(options.jit === true ? [useGraphQlJit() as Plugin] : []),
  ]
  const graphiqlPage = offlineGraphiQL()
  if (graphiql) {
    // The GraphiQL page carries its own policy (its inline script by hash), which replaces a
    // site-wide one such as helmet's: see graphiql.ts.
    plugins.push({
      onResponse({ response }) {
        if (response.headers.get('content-type')?.startsWith('text/html') === true) {
          response.headers.set('content-security-policy', graphiqlPage.contentSecurityPolicy())
        }
      },
    })
  }
  const yoga = createYoga<Partial<FastifyServerContext>, ServeyGraphQLContext>({
    schema: served,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (initial) => ({ servey: createRequestScope(invoker, scopeOptions(initial, dev)) }),
    plugins,
    graphiql: graphiql ? { title: 'Servey GraphiQL' } : false,
    renderGraphiQL: graphiqlPage.render,
    batching: { limit: limits.batch },
    parserAndValidationCache: true,
    maskedErrors: { isDev: dev },
    // CORS is the server's business (one policy for REST and GraphQL, e.g. @fastify/cors).
    cors: false,
    landingPage: false,
    multipart: false,
    logging: options.logging ?? true,
  })
  schemas.set(yoga, served)
  return yoga
}

const schemas = new WeakMap<object, GraphQLSchema>()

/** The schema a yoga made by `createServeyYoga` serves; clients build their queries from it. */
export function schemaOfYoga(yoga: object): GraphQLSchema | undefined {
  return schemas.get(yoga)
}
