import { action, anyScope, Type, WEB_GET } from '@servey/core'

const Caller = Type.Object(
  { subject: Type.Union([Type.String(), Type.Null()]), scopes: Type.Array(Type.String()) },
  { $id: 'Caller' },
)

/** Who is calling: the subject and scopes of the verified token, or null when anonymous. */
export const echo_authorization = action(
  {
    description: "Returns the caller's authorization (null when anonymous)",
    triggers: [WEB_GET],
    result: Type.Union([Caller, Type.Null()]),
    examples: [
      { name: 'anonymous', params: {}, result: null },
      {
        name: 'as_ada',
        params: {},
        authorization: { subject: 'ada', scopes: ['read'] },
        result: { subject: 'ada', scopes: ['read'] },
      },
    ],
  },
  (_params, { authorization }) =>
    authorization === null
      ? null
      : { subject: authorization.subject, scopes: [...authorization.scopes] },
)

/** Only callers holding the `root` scope. */
export const only_for_root = action(
  {
    description: 'Returns secret data to callers with the root scope',
    triggers: [WEB_GET],
    access: anyScope('root'),
    result: Type.String(),
    examples: [
      {
        name: 'as_root',
        params: {},
        authorization: { scopes: ['root'] },
        result: 'Some Secret Data!',
      },
      { name: 'without_root', params: {}, authorization: { scopes: ['read'] }, error: 'FORBIDDEN' },
      { name: 'anonymous', params: {}, error: 'UNAUTHENTICATED' },
    ],
  },
  () => 'Some Secret Data!',
)
