import {
  ACTION_KEY,
  ActionError,
  toKebabCase,
  type Action,
  type JobState,
  type Problem,
  type Static,
  type TObject,
  type TSchema,
} from '@servey/core'

export interface InvokeAsyncOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  readonly baseUrl: string
  /** A bearer token: the job runs as its subject, and only they can read or cancel it. */
  readonly token?: string
  /** Ask the server to send the outcome to this URL as well (`Servey-Callback-URL`). */
  readonly callback?: { readonly url: string; readonly method?: string; readonly key?: string }
  /** Between two polls of `/jobs/<id>`. Default 250 ms. */
  readonly pollInterval?: number
  readonly fetch?: typeof fetch
  /**
   * The action's name, when the action object does not know it (an arrow function exported
   * as `predict` is named by the registry from its export, which a client cannot see).
   */
  readonly name?: string
  /**
   * Sent as `Idempotency-Key`, so that sending the call again finds the job it started rather
   * than starting a second one. Default: a random UUID for each `invokeAsync()` call. Pass
   * your own to make retries of your own (a restarted client) safe too.
   */
  readonly idempotencyKey?: string
  /**
   * How many times the start is sent again, under the same key, when the server answers 503
   * (`UNAVAILABLE`: the job store is away) or cannot be reached. Default 2; 0 sends it once.
   */
  readonly retries?: number
}

/** The first wait before sending a start again, doubled each time unless `Retry-After` says. */
const RETRY_DELAY_MS = 250

export type JobOutcome<TResult> =
  { readonly ok: true; readonly result: TResult } | { readonly ok: false; readonly error: Problem }

/** A running job: the future of an action called over HTTP. */
export interface JobHandle<TResult> {
  readonly id: string
  /** `/jobs/<id>` on the server. */
  readonly location: string
  status(): Promise<JobState>
  /** Waits for the end: the result, or an `ActionError` with the job's problem. */
  result(options?: { readonly signal?: AbortSignal }): Promise<TResult>
  /** Cancels the job; the handler's signal fires on the server. */
  cancel(): Promise<JobState>
  /** Calls `callback` once when the job ends. Returns a function that stops waiting. */
  onDone(callback: (outcome: JobOutcome<TResult>) => void): () => void
}

function problemError(problem: Problem): ActionError {
  return new ActionError(problem.code, problem.detail, { status: problem.status, data: problem })
}

async function readProblem(response: Response): Promise<Problem> {
  const body = (await response.json().catch(() => undefined)) as Problem | undefined
  return (
    body ?? {
      type: 'about:blank',
      title: response.statusText,
      status: response.status,
      detail: `HTTP ${response.status}`,
      code: 'INTERNAL',
    }
  )
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/**
 * Sends the start, and again after a 503 or a network failure: each try carries the same
 * `Idempotency-Key`, so a start that was stored before its answer was lost is found, not
 * repeated. The last failure is what the caller sees.
 */
async function sendWithRetries(send: () => Promise<Response>, retries: number): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response
    try {
      response = await send()
    } catch (error) {
      if (attempt >= retries) throw error
      await sleep(RETRY_DELAY_MS * 2 ** attempt, undefined)
      continue
    }
    if (response.status !== 503 || attempt >= retries) return response
    const retryAfter = Number(response.headers.get('retry-after'))
    // Read so that the connection can be reused.
    await response.arrayBuffer().catch(() => undefined)
    await sleep(
      Number.isFinite(retryAfter) && retryAfter > 0
        ? Math.min(retryAfter, 30) * 1000
        : RETRY_DELAY_MS * 2 ** attempt,
      undefined,
    )
  }
}

/** The action's route: its web trigger's method and path (without path parameters). */
function routeOf(action: Action, given: string | undefined): { method: string; path: string } {
  const definition = action[ACTION_KEY]
  const trigger = definition.triggers.find((candidate) => candidate.kind === 'web') as
    { method: string; path?: string } | undefined
  const name = given ?? definition.name ?? action.name
  if (name === '') {
    throw new Error('This action has no name of its own: pass { name } to invokeAsync()')
  }
  if (trigger === undefined) throw new Error(`Action ${name} has no web trigger to call it by`)
  return { method: trigger.method, path: trigger.path ?? `/actions/${toKebabCase(name)}` }
}

/**
 * Start an action as a background job over HTTP (`Prefer: respond-async`) and get a typed
 * handle to its future: `await (await invokeAsync(predict, { data }, { baseUrl })).result()`.
 */
export async function invokeAsync<TParams extends TObject, TResult extends TSchema>(
  action: Action<TParams, TResult>,
  params: Static<TParams>,
  options: InvokeAsyncOptions,
): Promise<JobHandle<Static<TResult>>> {
  const http = options.fetch ?? fetch
  const { method, path } = routeOf(action as unknown as Action, options.name)
  const headers: Record<string, string> = { prefer: 'respond-async' }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
  if (options.callback !== undefined) {
    headers['servey-callback-url'] = options.callback.url
    if (options.callback.method !== undefined)
      headers['servey-callback-method'] = options.callback.method
    if (options.callback.key !== undefined) headers['servey-callback-key'] = options.callback.key
  }
  const query = method === 'GET' || method === 'DELETE'
  const url = new URL(path, options.baseUrl)
  if (query) {
    for (const [key, value] of Object.entries(params as Record<string, unknown>))
      url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value))
  } else {
    headers['content-type'] = 'application/json'
  }
  const retries = options.retries ?? 2
  // NaN would never reach the limit: a server answering 503 would be asked forever.
  if (!Number.isInteger(retries) || retries < 0) {
    throw new Error(`retries must be a whole number, 0 or more, not ${String(retries)}`)
  }
  headers['idempotency-key'] = options.idempotencyKey ?? crypto.randomUUID()
  const request = () =>
    http(url, { method, headers, ...(query ? {} : { body: JSON.stringify(params) }) })
  const response = await sendWithRetries(request, retries)
  if (response.status !== 202) {
    if (response.ok) {
      throw new Error(`The server answered ${response.status}, not 202: is jobs support on?`)
    }
    throw problemError(await readProblem(response))
  }
  const location = response.headers.get('location') ?? ''
  const id = location.split('/').pop() ?? ''
  const jobUrl = new URL(location, options.baseUrl)
  const auth: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
  const interval = options.pollInterval ?? 250

  const status = async (): Promise<JobState> => {
    const answer = await http(jobUrl, { headers: auth })
    if (!answer.ok) throw problemError(await readProblem(answer))
    return (await answer.json()) as JobState
  }
  const settled = async (signal?: AbortSignal): Promise<JobOutcome<Static<TResult>>> => {
    for (;;) {
      const state = await status()
      if (state.status === 'succeeded') return { ok: true, result: state.result as Static<TResult> }
      if (state.status === 'failed' || state.status === 'cancelled') {
        return { ok: false, error: state.error ?? (await status()).error! }
      }
      await sleep(interval, signal)
    }
  }

  return {
    id,
    location,
    status,
    async result(resultOptions = {}) {
      const outcome = await settled(resultOptions.signal)
      if (outcome.ok) return outcome.result
      throw problemError(outcome.error)
    },
    async cancel() {
      const answer = await http(jobUrl, { method: 'DELETE', headers: auth })
      if (!answer.ok) throw problemError(await readProblem(answer))
      return (await answer.json()) as JobState
    },
    onDone(callback) {
      const controller = new AbortController()
      settled(controller.signal).then(callback, (error: unknown) => {
        if (!controller.signal.aborted) {
          const problem =
            error instanceof ActionError
              ? error
              : problemError({
                  type: 'about:blank',
                  title: 'Unavailable',
                  status: 503,
                  detail: String(error),
                  code: 'UNAVAILABLE',
                })
          callback({
            ok: false,
            error: {
              type: 'about:blank',
              title: problem.title,
              status: problem.status,
              detail: problem.message,
              code: problem.code,
            },
          })
        }
      })
      return () => controller.abort()
    },
  }
}
