import { action, PAGE, Type, WEB_GET } from '@servey/core'

/** A page rendered from templates/welcome.njk, which extends templates/base.njk. */
export const welcome = action(
  { triggers: [PAGE], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Welcome, ${name}`,
)

/** Not a page: its function is bundled without nunjucks. */
export const ping = action({ triggers: [WEB_GET], result: Type.String() }, () => 'pong')
