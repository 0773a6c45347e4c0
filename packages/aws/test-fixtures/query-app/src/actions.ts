import { action, Type, WEB_GET } from '@servey/core'

// Query strings coerced by the schema, defaults, formats and the runtime helpers Ajv's code
// needs (string length, deep equality): what precompiled validators must get exactly right.
export const stats = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({
      n: Type.Integer({ minimum: 1 }),
      ratio: Type.Optional(Type.Number()),
      exact: Type.Optional(Type.Boolean({ default: false })),
      tags: Type.Optional(Type.Array(Type.String({ maxLength: 3 }), { uniqueItems: true })),
      since: Type.Optional(Type.String({ format: 'date-time' })),
    }),
    result: Type.Object({ n: Type.Integer(), ratio: Type.Number(), exact: Type.Boolean() }),
  },
  ({ n, ratio, exact }) => ({ n, ratio: ratio ?? 0, exact: exact ?? false }),
)
