import { randomUUID } from 'node:crypto'
import type {
  InvokeBatchRequest,
  InvokeOutcome,
  InvokeRequest,
  Invoker,
  Logger,
  RegisteredAction,
  Trigger,
} from '@servey/core/adapter'
import DataLoader from 'dataloader'
import { toGraphQLError } from './to-graphql-error.ts'

export interface RequestScopeOptions {
  /** The transport's request id; a UUID otherwise. Masked errors and log lines carry it. */
  readonly requestId?: string | undefined
  readonly log?: Logger | undefined
  /** The raw `Authorization` header: core verifies it for every field, nested ones included. */
  readonly authorizationHeader?: string | undefined
  /**
   * Whose `signal` fires when the client goes away (a fetch `Request`, for one). Read only
   * when an async handler runs: most requests never need to know.
   */
  readonly signalSource?: { readonly signal: AbortSignal } | undefined
  /** Show masked messages and stacks in errors. */
  readonly dev?: boolean | undefined
}

/**
 * What resolvers use to call actions during one GraphQL request. Batches (DataLoaders) live
 * here, so they never outlive the request or cross to another caller.
 */
export interface RequestScope {
  readonly requestId: string
  /**
   * Call a root action. The result at once when no step of the call was asynchronous (a
   * synchronous handler, no token to verify), else a promise of it: a resolver returns either
   * as it is, other code awaits it. A failure is a GraphQLError carrying the Servey code,
   * thrown or rejected in the same way.
   */
  invoke(action: RegisteredAction, input: unknown, trigger: Trigger): unknown
  /**
   * Call a nested action for one parent, batched with its siblings when it has `batch` (then
   * always a promise); otherwise answered as `invoke` answers.
   */
  invokeNested(action: RegisteredAction, parent: unknown, input: unknown, trigger: Trigger): unknown
}

/** The key under which resolvers find the scope in the GraphQL context. */
export interface ServeyGraphQLContext {
  readonly servey: RequestScope
}

// Classes rather than closures: a scope is made per request and a request object per field,
// so nothing here allocates functions on the hot path.
class ScopedRequest implements InvokeRequest {
  readonly action: RegisteredAction
  readonly input: unknown
  readonly inputSource = 'json' as const
  readonly trigger: Trigger
  readonly requestId: string
  readonly log: Logger | undefined
  readonly authorizationHeader: string | undefined
  readonly parent: unknown
  readonly #scope: Scope

  constructor(
    scope: Scope,
    action: RegisteredAction,
    input: unknown,
    trigger: Trigger,
    parent: unknown,
  ) {
    this.#scope = scope
    this.action = action
    this.input = input
    this.trigger = trigger
    this.requestId = scope.requestId
    this.log = scope.log
    this.authorizationHeader = scope.authorizationHeader
    this.parent = parent
  }

  get signal(): AbortSignal | undefined {
    return this.#scope.signal
  }
}

class ScopedBatchRequest implements InvokeBatchRequest {
  readonly action: RegisteredAction
  readonly input: unknown
  readonly inputSource = 'json' as const
  readonly trigger: Trigger
  readonly requestId: string
  readonly log: Logger | undefined
  readonly authorizationHeader: string | undefined
  readonly parents: readonly unknown[]
  readonly #scope: Scope

  constructor(
    scope: Scope,
    action: RegisteredAction,
    input: unknown,
    trigger: Trigger,
    parents: readonly unknown[],
  ) {
    this.#scope = scope
    this.action = action
    this.input = input
    this.trigger = trigger
    this.requestId = scope.requestId
    this.log = scope.log
    this.authorizationHeader = scope.authorizationHeader
    this.parents = parents
  }

  get signal(): AbortSignal | undefined {
    return this.#scope.signal
  }
}

class Scope implements RequestScope {
  readonly requestId: string
  readonly log: Logger | undefined
  readonly authorizationHeader: string | undefined
  readonly #invoker: Invoker
  readonly #dev: boolean
  readonly #signalSource: { readonly signal: AbortSignal } | undefined
  #loaders: Map<string, DataLoader<unknown, unknown>> | undefined

  constructor(invoker: Invoker, options: RequestScopeOptions) {
    this.#invoker = invoker
    this.requestId = options.requestId ?? randomUUID()
    this.log = options.log
    this.authorizationHeader = options.authorizationHeader
    this.#signalSource = options.signalSource
    this.#dev = options.dev === true
  }

  get signal(): AbortSignal | undefined {
    return this.#signalSource?.signal
  }

  #unwrap(outcome: InvokeOutcome): unknown {
    if (outcome.ok) return outcome.result
    throw toGraphQLError(outcome.error, { requestId: this.requestId, dev: this.#dev })
  }

  // A resolver that answers a value, not a promise, keeps graphql's execution synchronous: a
  // promise from a root field costs the request its microtask turns and, worse, teaches V8's
  // optimizer that the executor's field completion handles promises, which made every one of
  // a 100-item list's 600 plain fields allocate more (740 -> 691 KB a request over HTTP,
  // BENCHMARKS.md).
  #settle(answer: InvokeOutcome | Promise<InvokeOutcome>): unknown {
    return answer instanceof Promise
      ? answer.then((outcome) => this.#unwrap(outcome))
      : this.#unwrap(answer)
  }

  invoke(action: RegisteredAction, input: unknown, trigger: Trigger): unknown {
    return this.#settle(
      this.#invoker.invokeNow(new ScopedRequest(this, action, input, trigger, undefined)),
    )
  }

  invokeNested(
    action: RegisteredAction,
    parent: unknown,
    input: unknown,
    trigger: Trigger,
  ): unknown {
    if (action.definition.batch !== undefined) {
      return this.#loaderFor(action, input, trigger).load(parent)
    }
    return this.#settle(
      this.#invoker.invokeNow(new ScopedRequest(this, action, input, trigger, parent)),
    )
  }

  #loaderFor(action: RegisteredAction, input: unknown, trigger: Trigger) {
    // One batch per field and arguments: `a: factorial(x: 1)` and `b: factorial(x: 2)` differ.
    const key = `${action.name}\u0000${trigger.kind}\u0000${JSON.stringify(input)}`
    this.#loaders ??= new Map()
    let loader = this.#loaders.get(key)
    if (loader === undefined) {
      loader = new DataLoader<unknown, unknown>(
        async (parents) => {
          const outcomes = await this.#invoker.invokeBatch(
            new ScopedBatchRequest(this, action, input, trigger, parents),
          )
          return outcomes.map((outcome) =>
            outcome.ok
              ? outcome.result
              : toGraphQLError(outcome.error, { requestId: this.requestId, dev: this.#dev }),
          )
        },
        // The same parent object twice in one request is one call; nothing is kept longer.
        { cache: true },
      )
      this.#loaders.set(key, loader)
    }
    return loader
  }
}

export function createRequestScope(
  invoker: Invoker,
  options: RequestScopeOptions = {},
): RequestScope {
  return new Scope(invoker, options)
}
