import {
  isWebTrigger,
  QUERY_METHODS,
  webPathOf,
  type ActionClient,
  type Problem,
  type TokenIssuer,
  type WebTrigger,
} from '@servey/core/adapter'
import type { FastifyInstance } from 'fastify'
import { parsePathTemplate, writeQuery } from '@servey/http'

export interface RestClientOptions {
  /**
   * Mints a bearer token for calls made as a caller (`{ authorization }`), signed so that the
   * server's authenticator accepts it: the call then goes through real token verification.
   */
  readonly issuer?: TokenIssuer
}

/**
 * An `ActionClient` over HTTP through `app.inject` (no socket): lets generated example tests
 * and the conformance suite run through the real routes, parsing, serialization and errors.
 */
export function createRestClient(
  app: FastifyInstance,
  options: RestClientOptions = {},
): ActionClient {
  return {
    name: 'rest',
    serves: (action) => action.definition.triggers.some(isWebTrigger),
    async call(action, params, callOptions = {}) {
      const trigger = action.definition.triggers.find(isWebTrigger) as WebTrigger | undefined
      if (trigger === undefined) throw new Error(`Action ${action.name} has no web trigger`)
      const { path, rest } = parsePathTemplate(webPathOf(action.kebabName, trigger)).expand(
        params as Record<string, unknown>,
      )
      const query = QUERY_METHODS.has(trigger.method)
      const search = query ? writeQuery(rest) : ''
      const headers: Record<string, string> = query ? {} : { 'content-type': 'application/json' }
      const caller = callOptions.authorization
      if (caller !== undefined && caller !== null) {
        if (options.issuer === undefined) {
          throw new Error('createRestClient needs an `issuer` to call as an authorization')
        }
        const subject = caller.subject ?? 'client'
        const { token } = await options.issuer.issue({ subject, scopes: caller.scopes })
        headers['authorization'] = `Bearer ${token}`
      }
      const response = await app.inject({
        method: trigger.method,
        url: search === '' ? path : `${path}?${search}`,
        headers,
        ...(query ? {} : { payload: JSON.stringify(rest) }),
      })
      if (response.statusCode === 204) return { ok: true, result: undefined }
      const body: unknown = response.body === '' ? undefined : JSON.parse(response.body)
      if (response.statusCode < 400) return { ok: true, result: body }
      return { ok: false, problem: body as Problem }
    },
  }
}
