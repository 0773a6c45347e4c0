import {
  action,
  ActionError,
  createInvoker,
  createRegistry,
  isWebTrigger,
  toProblem,
  Type,
  WEB_POST,
  type ActionClient,
  type RegisteredAction,
  type Registry,
} from '@servey/core'
import { describe, expect, test, type RunnerTestSuite } from 'vitest'
import { defineExampleTests, type TestClient } from './define-example-tests.ts'

const divide = action(
  {
    name: 'divide',
    triggers: [WEB_POST],
    params: Type.Object({ a: Type.Number(), b: Type.Number() }),
    result: Type.Number(),
    examples: [
      { name: 'halves', params: { a: 3, b: 2 }, result: 1.5 },
      { name: 'by_zero_is_refused', params: { a: 1, b: 0 }, error: 'BAD_REQUEST' },
      // Wrong on purpose: it would fail if the opt-out were ignored.
      { name: 'opted_out', params: { a: 1, b: 1 }, result: 42, includeInTests: false },
    ],
  },
  async ({ a, b }) => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    if (b === 0) throw new ActionError('BAD_REQUEST', 'Cannot divide by zero')
    return a / b
  },
)

// No web trigger: an HTTP-like client does not serve it.
const internal_sum = action(
  {
    params: Type.Object({ values: Type.Array(Type.Number()) }),
    result: Type.Number(),
    examples: [{ name: 'adds', params: { values: [1, 2, 3] }, result: 6 }],
  },
  ({ values }) => values.reduce((sum, value) => sum + value, 0),
)

/** A transport in miniature: JSON on the wire both ways, web-triggered actions only. */
function createJsonWireClient(actions: unknown, name: string): ActionClient {
  return createJsonWireClientFor(createRegistry(actions), name)
}

function createJsonWireClientFor(registry: Registry, name: string): ActionClient {
  const invoker = createInvoker(registry)
  return {
    name,
    serves: (registered: RegisteredAction) => registered.definition.triggers.some(isWebTrigger),
    async call(registered, params) {
      const outcome = await invoker.invoke({
        action: registered.name,
        input: JSON.parse(JSON.stringify(params)),
      })
      const wire = outcome.ok ? outcome : { ok: false, problem: toProblem(outcome.error) }
      return JSON.parse(JSON.stringify(wire)) as Awaited<ReturnType<ActionClient['call']>>
    },
  }
}

const source = { divide, internal_sum }

defineExampleTests(source, {
  title: 'with client list',
  clients: [createJsonWireClient(source, 'json-wire')],
})

const factoryLog: string[] = []
defineExampleTests(createRegistry(source), {
  title: 'with client factory',
  clients: async () => {
    factoryLog.push('created')
    const client: TestClient = {
      ...createJsonWireClient(source, 'factory-wire'),
      close: async () => {
        factoryLog.push('closed')
      },
    }
    return [client]
  },
})

// A stateful app loaded afresh for every run: each transport's run of `first_ticket` sees an
// empty store. Shared, the second run would get ticket 2.
const freshLog: { registry: unknown; actions: unknown }[] = []
defineExampleTests(() => import('./stateful-app.fixture.ts'), {
  title: 'with an app loader',
  clients: (registry) => {
    freshLog.push({ registry, actions: registry.get('take_ticket') })
    return [
      {
        ...createJsonWireClientFor(registry, 'fresh-wire'),
        close: () => {
          freshLog.push({ registry: 'closed', actions: undefined })
        },
      },
    ]
  },
})

function suiteNamed(suite: RunnerTestSuite | undefined, title: string): RunnerTestSuite {
  const found = suite?.file.tasks.find((task) => task.type === 'suite' && task.name === title)
  if (found === undefined || found.type !== 'suite') throw new Error(`no suite named '${title}'`)
  return found
}

describe('defineExampleTests', () => {
  test('registers one test per action, example and client, skipping what a client does not serve', ({
    task,
  }) => {
    const suite = suiteNamed(task.suite, 'with client list')
    expect(suite.tasks.map((child) => [child.name, child.mode])).toEqual([
      ['divide › halves [in-process]', 'run'],
      ['divide › halves [json-wire]', 'run'],
      ['divide › by_zero_is_refused [in-process]', 'run'],
      ['divide › by_zero_is_refused [json-wire]', 'run'],
      ['internal_sum › adds [in-process]', 'run'],
      ['internal_sum › adds [json-wire]', 'skip'],
    ])
  })

  test('ran every generated test, and they passed', ({ task }) => {
    const suite = suiteNamed(task.suite, 'with client list')
    const states = suite.tasks
      .filter((child) => child.mode === 'run')
      .map((child) => child.result?.state)
    expect(states).toEqual(['pass', 'pass', 'pass', 'pass', 'pass'])
  })

  test('made factory clients once and closed them after their tests', ({ task }) => {
    const suite = suiteNamed(task.suite, 'with client factory')
    expect(suite.tasks.map((child) => child.name)).toContain('divide › halves [factory-wire]')
    expect(factoryLog).toEqual(['created', 'closed'])
  })

  test('with an app loader, every run of every transport gets a fresh app, and passes', ({
    task,
  }) => {
    const suite = suiteNamed(task.suite, 'with an app loader')
    expect(suite.tasks.map((child) => [child.name, child.result?.state])).toEqual([
      ['take_ticket › first_ticket [in-process]', 'pass'],
      ['take_ticket › first_ticket [fresh-wire]', 'pass'],
    ])
    // Once while collecting (to learn the client's name), once for the fresh-wire run; each
    // made from its own registry, and closed.
    const made = freshLog.filter((entry) => entry.registry !== 'closed')
    expect(made).toHaveLength(2)
    expect(made[0]?.registry).not.toBe(made[1]?.registry)
    expect(made[0]?.actions).not.toBe(made[1]?.actions)
    expect(freshLog.filter((entry) => entry.registry === 'closed')).toHaveLength(2)
  })

  test('with an app loader, clients given as an array are refused', () => {
    expect(() =>
      defineExampleTests(() => import('./stateful-app.fixture.ts'), {
        clients: [createJsonWireClient(source, 'json-wire')],
      }),
    ).toThrow(/with an app loader, pass clients as a factory/)
  })
})
