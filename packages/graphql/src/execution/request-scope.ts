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
  /** Call a root action; rejects with a GraphQLError carrying the Servey code. */
  invoke(action: RegisteredAction, input: unknown, trigger: Trigger): Promise<unknown>
  /** Call a nested action for one parent, batched with its siblings when it has `batch`. */
  invokeNested(
    action: RegisteredAction,
    parent: unknown,
    input: unknown,
    trigger: Trigger,
  ): Promise<unknown>
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

  async invoke(action: RegisteredAction, input: unknown, trigger: Trigger): Promise<unknown> {
    return this.#unwrap(
      await this.#invoker.invoke(new ScopedRequest(this, action, input, trigger, undefined)),
    )
  }

  async invokeNested(
    action: RegisteredAction,
    parent: unknown,
    input: unknown,
    trigger: Trigger,
  ): Promise<unknown> {
    if (action.definition.batch !== undefined) {
      return this.#loaderFor(action, input, trigger).load(parent)
    }
    return this.#unwrap(
      await this.#invoker.invoke(new ScopedRequest(this, action, input, trigger, parent)),
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
