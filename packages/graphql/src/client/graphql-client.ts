import {
  problemType,
  type ActionClient,
  type ClientCallOptions,
  type ClientOutcome,
  type Problem,
  type TokenIssuer,
} from '@servey/core/adapter'
import type { FastifyInstance } from 'fastify'
import type { GraphQLField, GraphQLSchema } from 'graphql'
import { serveyExtensionOf } from '../schema/field-extensions.ts'
import { schemaOfYoga, type ServeyYoga } from '../server/create-yoga.ts'
import { mountedGraphQLOf } from '../server/plugin.ts'
import { buildOperation, fromGraphQLOutput } from './graphql-operation.ts'

export interface GraphQLClientOptions {
  /** Sent with every request, e.g. `{ authorization: 'Bearer ...' }`. */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * Mints a bearer token for calls made as a caller (`{ authorization }`), signed so that the
   * server's authenticator accepts it: the call then goes through real token verification.
   */
  readonly issuer?: TokenIssuer
}

async function callerHeaders(
  callOptions: ClientCallOptions,
  issuer: TokenIssuer | undefined,
): Promise<Record<string, string>> {
  const caller = callOptions.authorization
  if (caller === undefined || caller === null) return {}
  if (issuer === undefined) {
    throw new Error('createGraphQLClient needs an `issuer` to call as an authorization')
  }
  const { token } = await issuer.issue({
    subject: caller.subject ?? 'client',
    scopes: caller.scopes,
  })
  return { authorization: `Bearer ${token}` }
}

interface WireError {
  readonly message?: unknown
  readonly extensions?: Readonly<Record<string, unknown>>
}

interface WireResponse {
  readonly status: number
  readonly body: string
}

type Send = (body: string, headers: Record<string, string>) => Promise<WireResponse>

function rootFieldOf(schema: GraphQLSchema, actionName: string) {
  for (const operation of ['query', 'mutation'] as const) {
    const type = operation === 'query' ? schema.getQueryType() : schema.getMutationType()
    const field = Object.values(type?.getFields() ?? {}).find(
      (candidate) => serveyExtensionOf(candidate)?.action === actionName,
    )
    if (field !== undefined) return { operation, field: field as GraphQLField<unknown, unknown> }
  }
  return undefined
}

function toProblemOf(error: WireError, httpStatus: number): Problem {
  const extensions = error.extensions ?? {}
  const code = typeof extensions['code'] === 'string' ? extensions['code'] : 'BAD_REQUEST'
  const status =
    typeof extensions['status'] === 'number'
      ? extensions['status']
      : httpStatus >= 400
        ? httpStatus
        : 400
  const problem: { -readonly [K in keyof Problem]: Problem[K] } = {
    type: typeof extensions['type'] === 'string' ? extensions['type'] : problemType(code),
    title: typeof extensions['title'] === 'string' ? extensions['title'] : code,
    status,
    detail: typeof error.message === 'string' ? error.message : '',
    code,
  }
  if (typeof extensions['requestId'] === 'string') problem.requestId = extensions['requestId']
  if (Array.isArray(extensions['issues']))
    problem.issues = extensions['issues'] as Problem['issues']
  if ('data' in extensions) problem.data = extensions['data']
  if (typeof extensions['stack'] === 'string') problem.stack = extensions['stack']
  return problem
}

function transportOf(target: FastifyInstance | ServeyYoga): { schema: GraphQLSchema; send: Send } {
  const mounted = mountedGraphQLOf(target)
  if (mounted !== undefined) {
    const app = target as FastifyInstance
    return {
      schema: mounted.schema,
      send: async (body, headers) => {
        const response = await app.inject({
          method: 'POST',
          url: '/graphql',
          payload: body,
          headers,
        })
        return { status: response.statusCode, body: response.body }
      },
    }
  }
  const schema = schemaOfYoga(target)
  if (schema === undefined) {
    throw new TypeError(
      'createGraphQLClient needs a Fastify app with serveyGraphql registered, or a yoga from createServeyYoga',
    )
  }
  const yoga = target as ServeyYoga
  return {
    schema,
    send: async (body, headers) => {
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        body,
        headers,
      })
      return { status: response.status, body: await response.text() }
    },
  }
}

/**
 * An `ActionClient` over GraphQL: each call is one Query or Mutation operation with its params
 * as variables, sent through `app.inject` or `yoga.fetch` (no socket). The conformance suite
 * and generated example tests use it to run the same assertions through GraphQL as through
 * REST; errors come back as the same problem shape, rebuilt from the error's extensions.
 */
export function createGraphQLClient(
  target: FastifyInstance | ServeyYoga,
  options: GraphQLClientOptions = {},
): ActionClient {
  const { schema, send } = transportOf(target)
  return {
    name: 'graphql',
    serves: (action) => rootFieldOf(schema, action.name) !== undefined,
    async call(action, params, callOptions = {}): Promise<ClientOutcome> {
      const root = rootFieldOf(schema, action.name)
      if (root === undefined)
        throw new Error(`Action ${action.name} is not a Query or Mutation field`)
      const { document, variables } = buildOperation(root.operation, root.field, params)
      const response = await send(JSON.stringify({ query: document, variables }), {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...options.headers,
        ...(await callerHeaders(callOptions, options.issuer)),
      })
      const body = JSON.parse(response.body) as {
        data?: { result?: unknown } | null
        errors?: WireError[]
      }
      const [error] = body.errors ?? []
      if (error !== undefined) return { ok: false, problem: toProblemOf(error, response.status) }
      return { ok: true, result: fromGraphQLOutput(root.field.type, body.data?.result) }
    },
  }
}
