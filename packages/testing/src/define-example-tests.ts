import {
  createInProcessClient,
  createInvoker,
  type ActionClient,
  type Authorization,
} from '@servey/core'
import { afterAll, describe, test } from 'vitest'
import { assertExampleOutcome } from './assert-example-outcome.ts'
import { exampleCasesOf, exampleTestName, type ExampleCase } from './example-cases.ts'
import { toRegistry } from './to-registry.ts'

/** A client a factory made for these tests; `close` releases what it holds (a server, a port). */
export interface TestClient extends ActionClient {
  close?(): Promise<void> | void
}

export interface ExampleTestOptions {
  /**
   * Transports to run every example through, besides the in-process client that always runs.
   * Clients passed as an array belong to the caller. Clients made by a factory belong to the
   * tests: they are closed after the last example ran.
   */
  readonly clients?:
    readonly ActionClient[] | (() => Promise<readonly TestClient[]> | readonly TestClient[])
  /** Title of the suite that groups the generated tests. Default `action examples`. */
  readonly title?: string
}

// The pipeline answers TIMEOUT by the action's own deadline; the margin covers a transport's
// overhead, so a slow example fails with the pipeline's error rather than vitest's.
const TIMEOUT_MARGIN_MS = 2_000

function checkNames(clients: readonly ActionClient[]): void {
  const seen = new Set<string>()
  for (const client of clients) {
    if (seen.has(client.name)) {
      throw new Error(
        `defineExampleTests: two clients are named '${client.name}' (the in-process client always runs; pass only other transports)`,
      )
    }
    seen.add(client.name)
  }
}

/** The example's caller as an Authorization; null (anonymous) when it names none. */
function callerOf(example: ExampleCase['example']): Authorization | null {
  if (example.authorization === undefined) return null
  return {
    subject: example.authorization.subject ?? 'example',
    scopes: [...(example.authorization.scopes ?? [])],
    claims: {},
  }
}

function registerTests(cases: readonly ExampleCase[], clients: readonly ActionClient[]): void {
  checkNames(clients)
  for (const exampleCase of cases) {
    for (const client of clients) {
      const name = exampleTestName(exampleCase, client)
      if (!client.serves(exampleCase.action)) {
        // Registered as skipped so the report shows which transport left the action out.
        test.skip(name)
        continue
      }
      const { action, example } = exampleCase
      test(name, { timeout: action.definition.timeoutMs + TIMEOUT_MARGIN_MS }, async () => {
        const outcome = await client.call(action, example.params, {
          authorization: callerOf(example),
        })
        assertExampleOutcome(outcome, example, name)
      })
    }
  }
}

async function closeAll(clients: readonly TestClient[]): Promise<void> {
  const results = await Promise.allSettled(clients.map(async (client) => client.close?.()))
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  )
  if (failures.length > 0) throw new AggregateError(failures, 'Closing a test client failed')
}

/**
 * One vitest test per (action, example, transport), named `say_hello › greet_developer [rest]`.
 * `source` is a registry, or what `createRegistry` reads (a module namespace, object or array).
 *
 * A client factory runs while vitest collects this suite, not in `beforeAll`: test names carry
 * the transport's name, and vitest needs every name before the first test starts.
 */
export function defineExampleTests(source: unknown, options: ExampleTestOptions = {}): void {
  const registry = toRegistry(source)
  const inProcess = createInProcessClient(createInvoker(registry))
  const cases = exampleCasesOf(registry)
  const { clients = [], title = 'action examples' } = options

  if (typeof clients !== 'function') {
    describe(title, () => registerTests(cases, [inProcess, ...clients]))
    return
  }
  describe(title, async () => {
    let made: readonly TestClient[] = []
    afterAll(() => closeAll(made))
    made = await clients()
    registerTests(cases, [inProcess, ...made])
  })
}
