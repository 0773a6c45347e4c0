import { action, Type, web } from '@servey/core'

/** A templated path: `GET /greetings/World` fills `name` from the path, on every HTTP host. */
export const greet_by_path = action(
  {
    triggers: [web({ method: 'GET', path: '/greetings/:name' })],
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
    result: Type.String(),
    description: 'Greet the user named in the path',
    examples: [{ name: 'greet_from_path', params: { name: 'Path' }, result: 'Hello Path!' }],
  },
  ({ name }) => `Hello ${name}!`,
)
