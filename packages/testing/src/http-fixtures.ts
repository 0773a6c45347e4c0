import {
  action,
  anyScope,
  authenticated,
  toProblem,
  ttl,
  Type,
  web,
  WEB_GET,
  WEB_POST,
  type AnyAction,
  type Invoker,
  type JobRequest,
  type JobRunner,
  type JobState,
} from '@servey/core'

/**
 * The app every transport serves for the HTTP conformance suite: one action per HTTP rule.
 * Each handler returns a field its result schema does not declare (`secret`), which must
 * never reach a client.
 */
export function createHttpConformanceActions(): readonly AnyAction[] {
  const greet = action(
    {
      name: 'greet',
      description: 'Cached for a minute with a strong ETag',
      triggers: [WEB_GET],
      params: Type.Object({ name: Type.String() }),
      result: Type.Object({ greeting: Type.String() }),
      cache: ttl(60, { etag: true }),
    },
    ({ name }) => ({ greeting: `Hello ${name}!`, secret: 'never sent' }),
  )

  const numbers = action(
    {
      name: 'numbers',
      description: 'Query coercion: a number, an optional integer, a repeated string',
      triggers: [WEB_GET],
      params: Type.Object({
        value: Type.Number(),
        count: Type.Optional(Type.Integer()),
        tags: Type.Optional(Type.Array(Type.String())),
        flag: Type.Optional(Type.Boolean()),
      }),
      result: Type.Object({
        value: Type.Number(),
        count: Type.Optional(Type.Integer()),
        tags: Type.Optional(Type.Array(Type.String())),
        flag: Type.Optional(Type.Boolean()),
      }),
    },
    (params) => ({ ...params, secret: 'never sent' }),
  )

  const item = action(
    {
      name: 'item',
      description: 'A templated path: GET /items/{id}',
      triggers: [web({ method: 'GET', path: '/items/:id' })],
      params: Type.Object({ id: Type.Integer() }),
      result: Type.Object({ id: Type.Integer(), name: Type.String() }),
    },
    ({ id }) => ({ id, name: `item ${id}`, secret: 'never sent' }),
  )

  const note = action(
    {
      name: 'note',
      description: 'A JSON body; runs as a job when the client asks',
      triggers: [WEB_POST],
      params: Type.Object({ text: Type.String() }),
      result: Type.Object({ text: Type.String(), length: Type.Integer() }),
    },
    ({ text }) => ({ text, length: [...text].length, secret: 'never sent' }),
  )

  const whoami = action(
    {
      name: 'whoami',
      description: 'Needs a token',
      triggers: [WEB_GET],
      access: authenticated,
      result: Type.Object({ subject: Type.String() }),
    },
    (_params, { authorization }) => ({ subject: authorization?.subject ?? '', secret: 'x' }),
  )

  const rootOnly = action(
    {
      name: 'root_only',
      description: 'Needs the root scope',
      triggers: [WEB_GET],
      access: anyScope('root'),
      result: Type.String(),
    },
    () => 'Some Secret Data!',
  )

  return [greet, numbers, item, note, whoami, rootOnly]
}

/** The memory job runner: the JobRunner port plus what a test inspects. */
export interface MemoryJobRunner extends JobRunner {
  /** Every request it was asked to enqueue, in order. */
  readonly requests: readonly JobRequest[]
  /** Resolves once every job enqueued so far has ended. */
  settled(): Promise<void>
}

/**
 * A job runner that starts each job at once through the invoker and keeps its state in memory:
 * enough for `Prefer: respond-async` to answer 202 on any transport, and for an adapter's
 * tests to see what was enqueued. `@servey/testing` must not depend on `@servey/scheduler`,
 * whose real runners the showcase tests cover.
 */
export function createMemoryJobRunner(invoker: Invoker): MemoryJobRunner {
  const states = new Map<string, JobState>()
  const requests: JobRequest[] = []
  const running = new Set<Promise<void>>()
  return {
    requests,
    async settled() {
      while (running.size > 0) await Promise.all(running)
    },
    enqueue(request) {
      requests.push(request)
      const id = `job-${requests.length}`
      const base = {
        id,
        action: request.action,
        progress: 0,
        subject: request.authorization?.subject ?? null,
        createdAt: new Date().toISOString(),
      }
      states.set(id, { ...base, status: 'running' })
      const run = invoker
        .invoke({
          action: request.action,
          input: request.params,
          authorization: request.authorization,
        })
        .then((outcome) => {
          states.set(
            id,
            outcome.ok
              ? { ...base, status: 'succeeded', progress: 100, result: outcome.result }
              : { ...base, status: 'failed', error: toProblem(outcome.error) },
          )
        })
        .finally(() => running.delete(run))
      running.add(run)
      return Promise.resolve(id)
    },
    get: (id) => Promise.resolve(states.get(id)),
    cancel(id) {
      const state = states.get(id)
      if (state === undefined) return Promise.resolve(undefined)
      const cancelled: JobState = { ...state, status: 'cancelled' }
      states.set(id, cancelled)
      return Promise.resolve(cancelled)
    },
  }
}
