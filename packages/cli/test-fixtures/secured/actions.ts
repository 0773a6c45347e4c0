import { action, anyScope, Type, WEB_GET } from '@servey/core'

export const whoami = action(
  { triggers: [WEB_GET], access: anyScope('root'), result: Type.String() },
  (_params, { authorization }) => `${authorization?.subject} (${authorization?.scopes.join(' ')})`,
)
