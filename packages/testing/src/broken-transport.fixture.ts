// Run by failure-reports.test.ts through a nested vitest: a transport with two classic bugs,
// to prove the conformance suite catches them.
import { createInvoker, isWebTrigger, toProblem, type ActionClient } from '@servey/core'
import { runConformanceSuite } from './conformance-suite.ts'

function asStrings(params: unknown): Record<string, unknown> {
  const strings: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    strings[key] = Array.isArray(value) ? value.map(String) : String(value)
  }
  return strings
}

runConformanceSuite({
  name: 'broken',
  setup: async (registry) => {
    const invoker = createInvoker(registry)
    const client: ActionClient = {
      name: 'broken',
      serves: (action) => action.definition.triggers.some(isWebTrigger),
      async call(action, params) {
        const isGet = action.definition.triggers.some(
          (trigger) => isWebTrigger(trigger) && trigger.method === 'GET',
        )
        // Bug 1: query values arrive as strings but are validated as JSON, so nothing coerces.
        const outcome = await invoker.invoke({ action, input: isGet ? asStrings(params) : params })
        // Bug 2: problems rendered in dev mode outside dev, leaking messages and stacks.
        return outcome.ok
          ? outcome
          : { ok: false, problem: toProblem(outcome.error, { dev: true }) }
      },
    }
    return { client, close: async () => {} }
  },
})
