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
}

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
  const response = await http(url, {
    method,
    headers,
    ...(query ? {} : { body: JSON.stringify(params) }),
  })
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
