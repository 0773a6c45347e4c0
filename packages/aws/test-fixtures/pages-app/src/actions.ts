import { action, PAGE, Type } from '@servey/core'

/** A page rendered from templates/welcome.njk, which extends templates/base.njk. */
export const welcome = action(
  { triggers: [PAGE], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Welcome, ${name}`,
)
