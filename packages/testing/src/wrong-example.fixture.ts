// Run by report-failures.test.ts through a nested vitest: its examples are wrong on purpose,
// so that test can read the failure report a user would see.
import { action, Type, WEB_GET } from '@servey/core'
import { defineExampleTests } from './define-example-tests.ts'

export const say_hello = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ name: Type.String() }),
    result: Type.Object({ greeting: Type.String(), length: Type.Integer() }),
    examples: [
      {
        name: 'greet_developer',
        params: { name: 'Developer' },
        result: { greeting: 'Hello Developer!', length: 99 },
      },
      { name: 'expects_an_error', params: { name: 'Ada' }, error: 'NOT_FOUND' },
    ],
  },
  async ({ name }) => {
    const greeting = `Hello ${name}!`
    return { greeting, length: greeting.length }
  },
)

defineExampleTests({ say_hello })
