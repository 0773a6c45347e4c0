// Loaded by define-example-tests.test.ts through an app loader: its state lives in the module,
// as a beginner's in-memory store does, so each fresh load must start counting at 1 again.
import { action, Type, WEB_POST } from '@servey/core'

const taken: number[] = []

export const take_ticket = action(
  {
    triggers: [WEB_POST],
    result: Type.Integer(),
    examples: [{ name: 'first_ticket', params: {}, result: 1 }],
  },
  () => {
    taken.push(taken.length + 1)
    return taken.length
  },
)

/** Identity of this copy of the module: a fresh load gets a new one. */
export const loadedAt = Symbol('stateful-app load')
