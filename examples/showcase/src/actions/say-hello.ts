import { action, Type, WEB_GET } from '@servey/core'

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
  ({ name }) => `Hello ${name}!`,
)
