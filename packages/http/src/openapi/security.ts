import type { AccessPolicy, ActionDefinition } from '@servey/core/adapter'
import type { ActionRoute } from '../route-table.ts'

type JsonObject = Record<string, unknown>

export const BEARER = 'bearerAuth'
export const OAUTH = 'oauth2Password'

/** The anonymous alternative of a security requirement list: no credentials at all. */
const ANONYMOUS = {}

/**
 * Whether a public action behaves differently for a signed-in caller. Core cannot see inside a
 * handler, so the action says so the way it documents everything else: with an example that
 * carries an `authorization`. A token sent to any public action is verified (an invalid one is
 * a 401), but only these ones read it.
 */
export function readsOptionalToken(definition: ActionDefinition): boolean {
  return (
    definition.access.kind === 'allow_all' &&
    definition.examples.some((example) => example.authorization !== undefined)
  )
}

/**
 * The security requirement alternatives of an operation (any one of them is enough):
 * - public: `[]`, no credentials, stated explicitly rather than left out;
 * - public but reads the caller: `[{}, {bearerAuth: []}]`, anonymous or with a token;
 * - protected: the bearer token, and the dev OAuth 2 flow with the scopes it needs.
 *
 * Scopes appear only on the OAuth 2 requirement: OpenAPI 3.1 lets an `http` scheme list role
 * names, but Spectral's `oas3-operation-security-defined` refuses any scope not declared by a
 * scheme's flows. The operation description always names the scopes (`Access: any of: root`).
 */
export function securityOf(definition: ActionDefinition, oauth: boolean): JsonObject[] {
  const access: AccessPolicy = definition.access
  const bearer = { [BEARER]: [] }
  const oauthAll = oauth ? [{ [OAUTH]: [] }] : []
  switch (access.kind) {
    case 'allow_all':
      return readsOptionalToken(definition) ? [ANONYMOUS, bearer, ...oauthAll] : []
    case 'custom':
      // The predicate may let anonymous callers in; which ones it cannot say statically.
      return [bearer, ...oauthAll, ANONYMOUS]
    case 'authenticated':
      return [bearer, ...oauthAll]
    case 'scopes':
      if (!oauth) return [bearer]
      return access.mode === 'all'
        ? [bearer, { [OAUTH]: [...access.scopes] }]
        : [bearer, ...access.scopes.map((scope) => ({ [OAUTH]: [scope] }))]
  }
}

/** The schemes the document may use; unused ones are dropped with the other unused components. */
export function securitySchemes(
  routes: readonly ActionRoute[],
  tokenUrl: string | undefined,
): JsonObject {
  const schemes: JsonObject = {
    [BEARER]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Authorization: Bearer <JWT>',
    },
  }
  if (tokenUrl === undefined) return schemes
  const scopes: Record<string, string> = {}
  for (const route of routes) {
    const access = route.action.definition.access
    if (access.kind === 'scopes')
      for (const scope of access.scopes) scopes[scope] = `Scope ${scope}`
  }
  schemes[OAUTH] = {
    type: 'oauth2',
    description: 'OAuth 2 password flow (servey dev: any username, the password it printed)',
    flows: { password: { tokenUrl, scopes } },
  }
  return schemes
}
