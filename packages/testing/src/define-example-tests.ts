import {
  createInProcessClient,
  createInvoker,
  isAction,
  isChannel,
  type ActionClient,
  type Authorization,
  type RegisteredAction,
  type Registry,
} from '@servey/core'
import { afterAll, describe, test, vi } from 'vitest'
import { assertExampleOutcome } from './assert-example-outcome.ts'
import { exampleCasesOf, exampleTestName, type ExampleCase } from './example-cases.ts'
import { toRegistry } from './to-registry.ts'

/** A client a factory made for these tests; `close` releases what it holds (a server, a port). */
export interface TestClient extends ActionClient {
  close?(): Promise<void> | void
}

/**
 * Makes the transports of one app. It receives the registry to serve: with an app loader, a
 * fresh one for every run of an example, so build the server from it, not from a static import.
 */
export type TestClientFactory = (
  registry: Registry,
) => Promise<readonly TestClient[]> | readonly TestClient[]

/** `() => import('./actions.ts')`: loads the app; called again, in isolation, for every run. */
export type AppLoader = () => unknown

export interface ExampleTestOptions {
  /**
   * Transports to run every example through, besides the in-process client that always runs.
   * Clients passed as an array belong to the caller. Clients made by a factory belong to the
   * tests: they are closed after the last example ran (with an app loader, after each run).
   */
  readonly clients?: readonly ActionClient[] | TestClientFactory
  /** Title of the suite that groups the generated tests. Default `action examples`. */
  readonly title?: string
}

// The pipeline answers TIMEOUT by the action's own deadline; the margin covers a transport's
// overhead, so a slow example fails with the pipeline's error rather than vitest's.
const TIMEOUT_MARGIN_MS = 2_000
// With an app loader, each run re-evaluates the app's modules and builds its transports first.
const FRESH_APP_ALLOWANCE_MS = 20_000
const IN_PROCESS = 'in-process'

function checkNames(clients: readonly Pick<ActionClient, 'name'>[]): void {
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

async function runExample(
  client: ActionClient,
  action: RegisteredAction,
  example: ExampleCase['example'],
  name: string,
): Promise<void> {
  const outcome = await client.call(action, example.params, { authorization: callerOf(example) })
  assertExampleOutcome(outcome, example, name)
}

/**
 * How one generated test reaches its client: the shared one, or a fresh app with its own
 * transports, closed when the run ends.
 */
type RunWith = (
  clientName: string,
  actionName: string,
  run: (client: ActionClient, action: RegisteredAction) => Promise<void>,
) => Promise<void>

/** What registering needs of a client: its name, and which actions it serves. */
type ClientShape = Pick<ActionClient, 'name' | 'serves'>

function registerTests(
  cases: readonly ExampleCase[],
  clients: readonly ClientShape[],
  runWith: RunWith,
  allowanceMs: number,
): void {
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
      const timeout = action.definition.timeoutMs + TIMEOUT_MARGIN_MS + allowanceMs
      test(name, { timeout }, () =>
        runWith(client.name, action.name, (fresh, freshAction) =>
          runExample(fresh, freshAction, example, name),
        ),
      )
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

/** A function that is not itself an action or a channel: the app's loader. */
function isLoader(source: unknown): source is AppLoader {
  return typeof source === 'function' && !isAction(source) && !isChannel(source)
}

function sharedRun(clients: readonly ActionClient[], registry: Registry): RunWith {
  return async (clientName, actionName, run) => {
    const client = clients.find((candidate) => candidate.name === clientName)
    if (client === undefined) throw new Error(`defineExampleTests: no client '${clientName}'`)
    return run(client, registry.get(actionName) ?? missing(actionName))
  }
}

function missing(actionName: string): never {
  throw new Error(`defineExampleTests: the app has no action '${actionName}'`)
}

function defineShared(
  registry: Registry,
  title: string,
  clients: ExampleTestOptions['clients'] = [],
): void {
  const cases = exampleCasesOf(registry)
  const inProcess = createInProcessClient(createInvoker(registry))
  if (typeof clients !== 'function') {
    const all = [inProcess, ...clients]
    describe(title, () => registerTests(cases, all, sharedRun(all, registry), 0))
    return
  }
  describe(title, async () => {
    let made: readonly TestClient[] = []
    afterAll(() => closeAll(made))
    made = await clients(registry)
    const all = [inProcess, ...made]
    registerTests(cases, all, sharedRun(all, registry), 0)
  })
}

/** Loads the app again with a cleared module cache: module state starts over. */
async function loadFresh(load: AppLoader): Promise<Registry> {
  vi.resetModules()
  return toRegistry(await load())
}

function freshRun(load: AppLoader, factory: TestClientFactory | undefined): RunWith {
  return async (clientName, actionName, run) => {
    const registry = await loadFresh(load)
    const action = registry.get(actionName) ?? missing(actionName)
    if (clientName === IN_PROCESS) {
      return run(createInProcessClient(createInvoker(registry)), action)
    }
    const made = (await factory?.(registry)) ?? []
    try {
      const client = made.find((candidate) => candidate.name === clientName)
      if (client === undefined) {
        throw new Error(`defineExampleTests: the client factory made no client '${clientName}'`)
      }
      await run(client, action)
    } finally {
      await closeAll(made)
    }
  }
}

function defineFresh(load: AppLoader, title: string, clients: ExampleTestOptions['clients']): void {
  if (clients !== undefined && typeof clients !== 'function') {
    throw new Error(
      'defineExampleTests: with an app loader, pass clients as a factory `(registry) => [...]`: clients made once would keep serving the first copy of the app',
    )
  }
  describe(title, async () => {
    // Collection needs every test name: load once, and make the clients once to learn theirs.
    const registry = toRegistry(await load())
    const names: ClientShape[] = [createInProcessClient(createInvoker(registry))]
    if (clients !== undefined) {
      const made = await clients(registry)
      try {
        names.push(
          ...made.map((client) => ({ name: client.name, serves: client.serves.bind(client) })),
        )
      } finally {
        await closeAll(made)
      }
    }
    registerTests(exampleCasesOf(registry), names, freshRun(load, clients), FRESH_APP_ALLOWANCE_MS)
  })
}

/**
 * One vitest test per (action, example, transport), named `say_hello › greet_developer [rest]`.
 *
 * `source` is either
 * - an app loader, `() => import('./actions.ts')`: every test loads the app afresh (module cache
 *   cleared), so module state such as an in-memory store starts empty for each transport's run
 *   of each example, and the client factory gets that fresh registry; or
 * - a registry, or what `createRegistry` reads (a module namespace, object or array): one app
 *   shared by every test, in registration order.
 *
 * A client factory runs while vitest collects this suite, not in `beforeAll`: test names carry
 * the transport's name, and vitest needs every name before the first test starts.
 */
export function defineExampleTests(source: unknown, options: ExampleTestOptions = {}): void {
  const { clients, title = 'action examples' } = options
  if (isLoader(source)) {
    defineFresh(source, title, clients)
    return
  }
  defineShared(toRegistry(source), title, clients)
}
