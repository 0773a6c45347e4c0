import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { GraphQLSchema } from 'graphql'
import type { YogaLogger } from 'graphql-yoga'
import { createGraphQLSchema } from '../schema/create-schema.ts'
import { createServeyYoga, type ServeyYoga, type ServeyYogaOptions } from './create-yoga.ts'

export type ServeyGraphqlOptions = Omit<ServeyYogaOptions, 'logging'>

export interface MountedGraphQL {
  readonly yoga: ServeyYoga
  readonly schema: GraphQLSchema
}

const mounted = new WeakMap<object, MountedGraphQL>()

/** The GraphQL server `serveyGraphql` mounted on an app; for clients and tools. */
export function mountedGraphQLOf(app: object): MountedGraphQL | undefined {
  return mounted.get(app)
}

function fastifyLogging(app: FastifyInstance): YogaLogger {
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const [first] = args
      if (first instanceof Error) app.log[level]({ err: first }, first.message)
      else app.log[level](args.map(String).join(' '))
    }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

function isEmptyContainer(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 0
}

/**
 * GraphQL at `POST /graphql` and `GET /graphql` (queries in the URL; GraphiQL for browsers)
 * on a Fastify server, every field served through core's invoke pipeline. Fastify parses the
 * JSON body (its `bodyLimit` applies) and yoga answers; other adapters' routes are untouched.
 */
const plugin: FastifyPluginAsync<ServeyGraphqlOptions> = async (app, options) => {
  const schema = createGraphQLSchema(options.invoker.registry)
  const yoga = createServeyYoga({ ...options, logging: fastifyLogging(app) }, schema)
  mounted.set(app, { yoga, schema })
  app.route({
    url: yoga.graphqlEndpoint,
    method: ['GET', 'POST'],
    handler: async (request, reply) => {
      // yoga's Node adapter takes a parsed body with no keys ({} or []) for "no parsed body"
      // and reads the stream again, which Fastify has consumed: it then reports the empty
      // string as invalid JSON. As text, yoga parses it and says what is really wrong.
      if (isEmptyContainer(request.body)) request.body = JSON.stringify(request.body)
      const response = await yoga.handleNodeRequestAndResponse(request, reply, {
        req: request,
        reply,
      })
      reply.status(response.status)
      response.headers.forEach((value, key) => {
        reply.header(key, value)
      })
      return reply.send(await response.text())
    },
  })
}

export const serveyGraphql = fp(plugin, { fastify: '5.x', name: '@servey/graphql' })
