// The start-up app: 100 GET actions made in a loop (each named, as no export names it), served
// with `servey start --entry <this file>`, as an app with many actions is.
import { action, WEB_GET } from '@servey/core'
import { SayHelloParams, SayHelloResult, greet } from '../../rest/schemas.ts'
import { STARTUP_ROUTES } from './routes.ts'

export const greetings = Array.from({ length: STARTUP_ROUTES }, (_, index) =>
  action(
    { name: `greet_${index}`, triggers: [WEB_GET], params: SayHelloParams, result: SayHelloResult },
    ({ name }) => greet(name),
  ),
)
