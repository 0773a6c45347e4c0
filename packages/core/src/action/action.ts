import type { AccessPolicy } from '../security/access-policy.ts'
import type { CacheOptions, CachePolicy } from '../cache/cache-policy.ts'
import type { Static, TSchema, TObject } from 'typebox'
import type { ActionContext } from './context.ts'
import type { Duration } from './duration.ts'
import type { Trigger } from '../trigger/trigger.ts'
import type { AnyChannel } from '../channel/channel.ts'

/**
 * A worked example: documentation (OpenAPI), and a test that `@servey/testing` generates.
 * `error` expects the call to fail with that code instead of returning `result`.
 */
export interface Example<TParams = unknown, TResult = unknown> {
  readonly name: string
  readonly description?: string
  readonly params: TParams
  readonly result?: TResult
  readonly error?: string
  /**
   * Run the example as this caller: generated tests pass it in-process, and transports that
   * need a token (REST, GraphQL) mint one with these claims.
   */
  readonly authorization?: { readonly subject?: string; readonly scopes?: readonly string[] }
  /** Default true: generate a test from this example. */
  readonly includeInTests?: boolean
  /** Default true: show this example in generated documents. */
  readonly includeInSchema?: boolean
}

/** The context of a nested action: the object it is a field of comes as `parent`. */
export type NestedActionContext<TParent> = ActionContext & { readonly parent: TParent }

/** The handler's context: with a typed `parent` when the action declares one. */
export type ContextOf<TParent extends TObject | undefined> = TParent extends TObject
  ? NestedActionContext<Static<TParent>>
  : ActionContext

export type Handler<
  TParams extends TObject,
  TResult extends TSchema,
  TParent extends TObject | undefined = undefined,
> = (
  params: Static<TParams>,
  context: ContextOf<TParent>,
) => Static<TResult> | Promise<Static<TResult>>

/**
 * The batch form of a nested action: one call for many parents that share the same params
 * (a list of `NumberStats` asking for `factorial`). It returns one result per parent, in order.
 */
export type BatchHandler<
  TParams extends TObject,
  TResult extends TSchema,
  TParent extends TObject,
> = (
  parents: Static<TParent>[],
  params: Static<TParams>,
  context: ActionContext,
) => readonly Static<TResult>[] | Promise<readonly Static<TResult>[]>

export interface ActionOptions<
  TParams extends TObject,
  TResult extends TSchema,
  TParent extends TObject | undefined = undefined,
> {
  /** snake_case; else the handler's function name, else the export name. */
  readonly name?: string
  readonly description?: string
  /** An object schema; one property per parameter. Default: no parameters. */
  readonly params?: TParams
  /** The result schema: validated in dev and tests, and it shapes serialized responses. */
  readonly result?: TResult
  readonly triggers?: readonly Trigger[]
  /** Default 15 s. On expiry the call fails with TIMEOUT and `context.signal` aborts. */
  readonly timeout?: Duration
  readonly examples?: readonly Example<Static<TParams>, Static<TResult>>[]
  /** Grouping for generated documents (OpenAPI tags). */
  readonly tags?: readonly string[]
  readonly deprecated?: boolean
  /** Who may call it; default `allowAll`. Enforced the same way on every trigger. */
  readonly access?: AccessPolicy<Static<TParams>>
  /**
   * Makes this a nested action: a field of the named object type `parent` (an object schema
   * with an `$id`), resolved only when asked for. The handler gets the object as
   * `context.parent`.
   */
  readonly parent?: TParent
  /** A nested action's batch form, used when many parents ask for it at once. */
  readonly batch?: TParent extends TObject ? BatchHandler<TParams, TResult, TParent> : never
  /**
   * How results may be cached: `ttl(30)`, `ttl(30, { etag: true, server: true })`, `noStore`,
   * or `{ maxAge, etag, server, visibility }`. See docs/reference/cache.md.
   */
  readonly cache?: CacheOptions
  /**
   * Background calls. Any web action runs as a job when asked (`Prefer: respond-async` or a
   * callback header); `true` always runs it so: the request answers 202 with a job location.
   */
  readonly async?: boolean | AsyncOptions
  /**
   * The channels this action publishes to. Documented (AsyncAPI, `servey actions`, the try-it
   * panel of /asyncapi), and enforced: `context.publish` to any other channel rejects with
   * UNDECLARED_CHANNEL. Without it the action may publish anywhere, undocumented.
   */
  readonly publishes?: readonly AnyChannel[]
}

/** The names of the request headers that ask for a callback when the job finishes. */
export interface CallbackHeaderNames {
  /** Default `Servey-Callback-URL`. */
  readonly url: string
  /** Default `Servey-Callback-Method` (the method defaults to POST). */
  readonly method: string
  /** Default `Servey-Callback-Key`: send `{ [key]: result }` instead of the bare result. */
  readonly key: string
}

export interface AsyncOptions {
  /** Always answer 202 and run as a job. Default true. */
  readonly always?: boolean
  readonly callbackHeaders?: Partial<CallbackHeaderNames>
}

/** The resolved `async` option, as adapters read it. */
export interface AsyncDefinition {
  readonly always: boolean
  readonly callbackHeaders: CallbackHeaderNames
}

/** The frozen definition behind an action; what adapters read. */
export interface ActionDefinition {
  /** Explicit or function-derived name; the registry falls back to the export name. */
  readonly name: string | undefined
  readonly description: string | undefined
  readonly params: TObject
  readonly result: TSchema | undefined
  readonly triggers: readonly Trigger[]
  readonly timeoutMs: number
  readonly examples: readonly Example[]
  readonly tags: readonly string[]
  readonly deprecated: boolean
  readonly access: AccessPolicy
  readonly handler: (params: never, context: ActionContext) => unknown
  /** For a nested action: the object schema (with `$id`) it is a field of. */
  readonly parent: TObject | undefined
  readonly batch: ((parents: never[], params: never, context: ActionContext) => unknown) | undefined
  /** The checked cache policy; undefined when the action declares none. */
  readonly cache: CachePolicy | undefined
  readonly async: AsyncDefinition
  /** The declared channels, in declaration order; undefined when the action declares none. */
  readonly publishes: readonly AnyChannel[] | undefined
}

/** Options for calling an action directly as a function. */
export interface CallOptions {
  readonly authorization?: ActionContext['authorization']
  readonly signal?: AbortSignal
  /** For a nested action: the object it is called on (`context.parent`). */
  readonly parent?: unknown
}

export const ACTION_KEY = '~servey'

/**
 * What `action()` returns: still a plain async function (validated, with its timeout), plus
 * its definition under `'~servey'` for the registry and adapters.
 */
export interface Action<TParams extends TObject = TObject, TResult extends TSchema = TSchema> {
  (params: Static<TParams>, options?: CallOptions): Promise<Static<TResult>>
  readonly [ACTION_KEY]: ActionDefinition
}

export type AnyAction = Action<TObject, TSchema>

export function isAction(value: unknown): value is AnyAction {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<AnyAction>)[ACTION_KEY] === 'object' &&
    (value as Partial<AnyAction>)[ACTION_KEY] !== null
  )
}
