import { action, Type, WEB_GET, WEB_POST } from '@servey/core'
import { greeting } from './greeting.ts'

export const say_hello = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ name: Type.String() }),
    result: Type.String(),
    description: 'Greet a user!',
    examples: [
      { name: 'greet_developer', params: { name: 'Developer' }, result: 'Hello Developer!' },
    ],
  },
  ({ name }) => `${greeting} ${name}!`,
)

export const add = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ a: Type.Number(), b: Type.Number() }),
    result: Type.Number(),
    timeout: '2s',
    description: 'Add two numbers',
  },
  ({ a, b }) => a + b,
)

export const fail = action({ triggers: [WEB_POST], description: 'Always throws' }, () => {
  throw new Error('boom')
})
