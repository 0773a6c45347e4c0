import { action, createInvoker, createRegistry, toProblem, Type, WEB_GET } from '@servey/core'

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

// 1. Call it as a plain async function: validated, under its timeout.
console.log(await say_hello({ name: 'World' }))
// Hello World!

// 2. Serve it the way every adapter does: one registry, one invoker, one invoke per call.
const invoker = createInvoker(createRegistry({ say_hello }))
console.log(await invoker.invoke({ action: 'say_hello', input: { name: 'Ada' } }))
// { ok: true, result: 'Hello Ada!' }

// 3. Bad input never throws out of invoke: it comes back as a coded error.
const outcome = await invoker.invoke({ action: 'say_hello', input: { name: 42 } })
if (!outcome.ok) console.log(toProblem(outcome.error))
// {
//   type: 'urn:servey:error:invalid-params',
//   title: 'Invalid Parameters',
//   status: 400,
//   detail: 'Invalid params: /name must be string',
//   code: 'INVALID_PARAMS',
//   issues: [ { path: '/name', message: 'must be string', keyword: 'type' } ]
// }
