import type { ChannelPublisher } from '../channel/channel.ts'
import type { ActionCache, Authorization } from '../action/context.ts'
import { ActionError, toActionError } from '../errors/action-error.ts'
import type { Logger } from '../log/logger.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import { nonFiniteIssue } from '../schema/finite-numbers.ts'
import { summarizeIssues, type InputSource } from '../schema/validator.ts'
import { DIRECT, type Trigger } from '../trigger/trigger.ts'
import type { HookLists, InvokeEvent, ShortCircuit } from './hooks.ts'
import { InvocationContext } from './invocation-context.ts'
import { isThenable } from './is-thenable.ts'
import type { Authenticator } from '../security/authenticator.ts'
import { parseBearerHeader } from '../security/bearer.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
  checkValidity,
} from '../security/check-access.ts'
import { unauthenticated } from '../security/unauthenticated.ts'
import { isRedirect } from '../page/redirect.ts'

/** One call as an adapter hands it to core: raw input in, nothing validated yet. */
export interface InvokeRequest {
  /** The action, or its name. */
  readonly action: RegisteredAction | string
  /** Raw input; `undefined` means no params. Owned by the pipeline: coerced in place. */
  readonly input?: unknown
  /** `strings` for query strings and CLI flags, so "3" may become 3. Default `json`. */
  readonly inputSource?: InputSource
  readonly trigger?: Trigger
  /**
   * A trusted Authorization from an in-process caller (CLI `--scopes`, a schedule, a test).
   * When set, `authorizationHeader` is ignored.
   */
  readonly authorization?: Authorization | null
  /**
   * The raw `Authorization` header as the transport received it (HTTP header, GraphQL request
   * header, websocket handshake). Core parses and verifies it: adapters never do.
   */
  readonly authorizationHeader?: string
  /** Aborts the call with CANCELLED, e.g. when an HTTP client disconnects. */
  readonly signal?: AbortSignal
  readonly log?: Logger
  readonly requestId?: string
  /**
   * For a nested action: the object it is a field of (a GraphQL parent), which the handler
   * gets as `context.parent`. A nested action called without one fails with BAD_REQUEST.
   */
  readonly parent?: unknown
}

/**
 * Runs the handler in place of `definition.handler`; the batch pipeline uses it to gather the
 * calls of many parents into one batch call. Its result is awaited under the timeout as usual.
 */
export type HandlerRunner = (params: unknown, context: InvocationContext) => unknown

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: ActionError }

export interface PipelineSettings {
  /** The hooks that run for an action (`createHookResolver`): asked once per call. */
  readonly hooks: (action: RegisteredAction) => HookLists
  readonly validateResult: boolean
  readonly log: Logger
  readonly authenticator: Authenticator | undefined
  readonly channels?: ChannelPublisher | undefined
  /** `context.cache` of every call. */
  readonly cache?: ActionCache | undefined
}

/**
 * Await an async handler under its timeout and the caller's signal. Sync handlers skip this:
 * they cannot be interrupted anyway, and a timer per call would be pure overhead.
 */
function settle(
  pending: PromiseLike<unknown>,
  action: RegisteredAction,
  context: InvocationContext,
  external: AbortSignal | undefined,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (error: ActionError): void => {
      context.abort(error)
      reject(error)
    }
    const onAbort = (): void => fail(new ActionError('CANCELLED', 'The caller cancelled the call'))
    const timeoutMs = action.definition.timeoutMs
    const timer = setTimeout(
      () =>
        fail(new ActionError('TIMEOUT', `Action ${action.name} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    )
    if (external !== undefined) {
      if (external.aborted) onAbort()
      else external.addEventListener('abort', onAbort, { once: true })
    }
    const done = (): void => {
      clearTimeout(timer)
      external?.removeEventListener('abort', onAbort)
    }
    pending.then(
      (value) => {
        done()
        resolve(value)
      },
      (error: unknown) => {
        done()
        reject(error)
      },
    )
  })
}

export function authenticate(
  authenticator: Authenticator | undefined,
  header: string,
): Promise<Authorization> {
  const token = parseBearerHeader(header)
  if (authenticator === undefined) {
    throw unauthenticated(
      'no_authenticator',
      'This server is not configured to accept bearer tokens',
    )
  }
  return authenticator.authenticate(token)
}

/**
 * Who is calling: a trusted in-process authorization (refused once expired), else the
 * verified bearer token of the request, else anonymous. Shared with `admitCall`.
 */
export async function resolveCaller(
  request: InvokeRequest,
  settings: PipelineSettings,
): Promise<Authorization | null> {
  if (request.authorization !== undefined) {
    checkValidity(request.authorization)
    return request.authorization
  }
  if (request.authorizationHeader === undefined) return null
  // Verified even for public actions: a bad token is a 401, never silently anonymous.
  return authenticate(settings.authenticator, request.authorizationHeader)
}

/** The input, validated (and coerced in place), or INVALID_PARAMS listing every issue. */
export function validParams(
  action: RegisteredAction,
  input: unknown,
  request: InvokeRequest,
): unknown {
  const issues = action.checkParams(input, request.inputSource ?? 'json')
  if (issues !== null) {
    throw new ActionError('INVALID_PARAMS', `Invalid params: ${summarizeIssues(issues)}`, {
      issues,
    })
  }
  return input
}

/**
 * What no transport can encode, always: a non-finite number would become `null` in JSON (data
 * silently lost) or crash a serializer. The whole schema too in dev and tests.
 */
function checkResult(action: RegisteredAction, result: unknown, validate: boolean): void {
  const finite = nonFiniteIssue(result)
  if (finite !== null) {
    throw new ActionError(
      'INVALID_RESULT',
      `Action ${action.name} returned a number JSON cannot carry: ${summarizeIssues([finite])}`,
      { issues: [finite], expose: false },
    )
  }
  const issues = validate ? action.checkResult(result) : null
  if (issues !== null) {
    throw new ActionError(
      'INVALID_RESULT',
      `Action ${action.name} returned a result that does not match its schema: ${summarizeIssues(issues)}`,
      { issues, expose: false },
    )
  }
}

/** What the pipeline answers: at once when no step of the call was asynchronous. */
export type PipelineAnswer = InvokeOutcome | Promise<InvokeOutcome>

/** The phases whose hooks run in the middle of a call (`onError` runs apart, in `#fail`). */
type HookPhase = 'onRequest' | 'onInvoke' | 'onResult'

/** Any of those hooks: `onResult`'s takes the result too, `onInvoke`'s may answer the call. */
type PhaseHook = (
  event: InvokeEvent,
  result?: unknown,
) => ShortCircuit | void | PromiseLike<ShortCircuit | void>

/** `next(value)`, now when `value` is plain, else once it settles. */
function andThen<T, R>(
  value: T | PromiseLike<T>,
  next: (value: T) => R | Promise<R>,
): R | Promise<R> {
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value)
}

/**
 * One call going through the pipeline. Each step runs at once and hands the next step on; a
 * step that returns a promise (a token to verify, an async hook or handler) makes the rest of
 * the call wait for it. A call in which nothing is asynchronous, the common case of a
 * synchronous handler without a token, therefore answers synchronously: no promise, no
 * microtask turn per step (three async layers per HTTP request cost about a microsecond and
 * a kilobyte of garbage, measured with `pnpm bench alloc`).
 */
class PipelineCall implements InvokeEvent {
  // The call is its own hook event: one object fewer per call (see `pnpm bench alloc`). What
  // a hook may read is these four fields; the rest is private.
  readonly action: RegisteredAction
  /** The raw input, validated and coerced in place by `#validate`. */
  readonly input: unknown
  params: unknown = undefined
  readonly context: InvocationContext
  readonly #request: InvokeRequest
  readonly #settings: PipelineSettings
  readonly #runHandler: HandlerRunner | undefined
  readonly #hookLists: HookLists

  constructor(
    action: RegisteredAction,
    request: InvokeRequest,
    settings: PipelineSettings,
    runHandler: HandlerRunner | undefined,
  ) {
    this.action = action
    this.input = request.input === undefined ? {} : request.input
    this.#request = request
    this.#settings = settings
    this.#runHandler = runHandler
    this.#hookLists = settings.hooks(action)
    this.context = new InvocationContext(
      action.name,
      request.authorization ?? null,
      request.log ?? settings.log,
      request.trigger ?? DIRECT,
      request.requestId,
      request.parent,
      settings.channels,
      settings.cache,
      action.definition.publishes,
    )
  }

  /** Never throws and never rejects: every failure becomes an outcome. */
  run(): PipelineAnswer {
    let answer: PipelineAnswer
    try {
      answer = this.#start()
    } catch (thrown) {
      return this.#fail(thrown)
    }
    return isThenable(answer)
      ? answer.then(undefined, (thrown: unknown) => this.#fail(thrown))
      : answer
  }

  #start(): PipelineAnswer {
    const request = this.#request
    // Most calls carry no token: they go straight on.
    if (request.authorization !== undefined) {
      checkValidity(request.authorization)
      return this.#admitted()
    }
    if (request.authorizationHeader === undefined) return this.#admitted()
    // Verified even for public actions: a bad token is a 401, never silently anonymous.
    return authenticate(this.#settings.authenticator, request.authorizationHeader).then(
      (authorization) => {
        this.context.authorize(authorization)
        return this.#admitted()
      },
    )
  }

  #admitted(): PipelineAnswer {
    const access = this.action.definition.access
    if (access.kind !== 'allow_all') checkAccessBeforeValidation(access, this.context.authorization)
    return this.#hooks('onRequest', 0)
  }

  #validate(): PipelineAnswer {
    const action = this.action
    const input = this.input
    if (action.definition.parent !== undefined && this.#request.parent === undefined) {
      throw new ActionError(
        'BAD_REQUEST',
        `Action ${action.name} is a field of ${String((action.definition.parent as { $id?: unknown }).$id)} and needs the object it is called on`,
      )
    }
    this.params = validParams(action, input, this.#request)
    const access = action.definition.access
    if (access.kind === 'custom') {
      return checkAccessAfterValidation(access, this.context.authorization, input).then(() =>
        this.#hooks('onInvoke', 0),
      )
    }
    return this.#hooks('onInvoke', 0)
  }

  /**
   * Runs one phase's hooks from `from` on, in order, then the step after the phase. A hook
   * that answers a promise makes the rest of the call wait for it; one that answers at once
   * (a hook with nothing to do for this action) costs no wait. Only `onInvoke` may answer the
   * call itself (`{ result }`, a cache hit): the handler then does not run.
   */
  #hooks(phase: HookPhase, from: number, result?: unknown): PipelineAnswer {
    const hooks: ReadonlyArray<PhaseHook> = this.#hookLists[phase]
    for (let index = from; index < hooks.length; index++) {
      const answer = (hooks[index] as PhaseHook)(this, result)
      if (isThenable(answer)) {
        return andThen(
          answer,
          (settled) => this.#shortCircuit(phase, settled) ?? this.#hooks(phase, index + 1, result),
        )
      }
      const shortCircuit = this.#shortCircuit(phase, answer)
      if (shortCircuit !== undefined) return shortCircuit
    }
    if (phase === 'onRequest') return this.#validate()
    if (phase === 'onInvoke') return this.#handle()
    return answered(result)
  }

  #shortCircuit(phase: HookPhase, answer: ShortCircuit | void): InvokeOutcome | undefined {
    // null counts as "no answer" too: a hook written `return cache.get(key) ?? null` must
    // not fail the call.
    return phase === 'onInvoke' && answer != null ? answered(answer.result) : undefined
  }

  #handle(): PipelineAnswer {
    const input = this.input
    const context = this.context
    const result =
      this.#runHandler === undefined
        ? this.action.definition.handler(input as never, context)
        : this.#runHandler(input, context)
    if (!isThenable(result)) return this.#finish(result)
    return settle(result, this.action, context, this.#request.signal).then((value) =>
      this.#finish(value),
    )
  }

  #finish(result: unknown): PipelineAnswer {
    // A page's redirect() is an instruction to the transport, not a value of the result schema.
    if (!isRedirect(result)) checkResult(this.action, result, this.#settings.validateResult)
    return this.#hooks('onResult', 0, result)
  }

  #fail(thrown: unknown): PipelineAnswer {
    const error = toActionError(thrown)
    const action = this.action
    const context = this.context
    if (error.status >= 500) {
      // The request id ties this line to the `requestId` of the 500 the client sees.
      // A result refused by the check above is explained by its issues; its stack would show
      // only this pipeline, never the handler that produced the value.
      const detail =
        error.code === 'INVALID_RESULT' && error.cause === undefined
          ? { issues: error.issues }
          : { err: error.cause ?? error }
      context.log.error(
        {
          ...detail,
          action: action.name,
          code: error.code,
          requestId: context.requestId,
        },
        error.message,
      )
    }
    const outcome: InvokeOutcome = { ok: false, error }
    const hooks = this.#hookLists.onError
    if (hooks.length === 0) return outcome
    return (async () => {
      for (const hook of hooks) {
        try {
          await hook(this, error)
        } catch (hookError) {
          // An observer failing must not replace the error the caller gets.
          context.log.error({ err: hookError, action: action.name }, 'onError hook failed')
        }
      }
      return outcome
    })()
  }
}

function answered(result: unknown): InvokeOutcome {
  return { ok: true, result }
}

/**
 * The invoke pipeline: verify the caller's token → check scopes → onRequest → validate params
 * → custom access predicate → onInvoke → handler under timeout → check result (dev and tests)
 * → onResult; any failure → normalise → onError. It never throws and never rejects. It
 * answers synchronously when no step was asynchronous: `await` its answer.
 */
export function runPipeline(
  action: RegisteredAction,
  request: InvokeRequest,
  settings: PipelineSettings,
  runHandler?: HandlerRunner,
): PipelineAnswer {
  return new PipelineCall(action, request, settings, runHandler).run()
}
