import { action, anyScope, createJwtIssuer, Type, WEB_GET, type Logger } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createLambdaHandler } from './create-lambda-handler.ts'
import type { ScheduleTriggerData } from './schedule-trigger-data.ts'

const SECRET = 'a-lambda-test-secret-long-enough-for-hs256'
const env = { JWT_SECRET_KEY: SECRET, LOG_LEVEL: 'silent' }
const issuer = createJwtIssuer({ secret: SECRET })

// What @servey/scheduler's every('1m', { scopes, params }) makes: a trigger is plain data.
const everyMinute = (params: Record<string, unknown>, scopes: string[]): ScheduleTriggerData =>
  Object.freeze({ kind: 'schedule', every: 60_000, params, scopes, overlap: 'skip' })

const runs: Array<{ subject: string | null; scopes: readonly string[]; tick: unknown }> = []

const say_hello = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ name: Type.String() }),
    result: Type.String(),
  },
  ({ name }) => `Hello ${name}!`,
)

const only_for_root = action(
  { access: anyScope('root'), result: Type.String() },
  (_params, { authorization }) => `Hello ${authorization?.subject ?? '?'}`,
)

const tick = action(
  {
    params: Type.Object({ label: Type.String() }),
    access: anyScope('system'),
    triggers: [everyMinute({ label: 'a' }, ['system']), everyMinute({ label: 'b' }, ['nobody'])],
  },
  (_params, { authorization, trigger }) => {
    runs.push({
      subject: authorization?.subject ?? null,
      scopes: authorization?.scopes ?? [],
      tick: (trigger as { tick?: unknown }).tick,
    })
  },
)

const flaky = action({ triggers: [everyMinute({}, [])] }, () => {
  throw new Error('the database is down')
})

const recordingLog = (): Logger & { lines: unknown[] } => {
  const lines: unknown[] = []
  const log: Logger & { lines: unknown[] } = {
    lines,
    debug: () => {},
    info: () => {},
    warn: (obj) => lines.push(obj),
    error: (obj) => lines.push(obj),
    child: () => log,
  }
  return log
}

const context = { awsRequestId: 'req-1' }

describe('direct invocation', () => {
  const handler = createLambdaHandler({ actions: { say_hello, only_for_root }, env })

  it('runs the named action and returns its result', async () => {
    await expect(
      handler({ action: 'say_hello', params: { name: 'World' } }, context),
    ).resolves.toBe('Hello World!')
    // The original's spelling of the field still works.
    await expect(handler({ action_name: 'say_hello', params: { name: 'A' } })).resolves.toBe(
      'Hello A!',
    )
  })

  it('runs the function action when the event names none', async () => {
    const single = createLambdaHandler({ actions: { say_hello }, action: 'say_hello', env })
    await expect(single({ params: { name: 'World' } })).resolves.toBe('Hello World!')
  })

  it('throws a coded error Lambda reports as errorType, with no internals', async () => {
    const error = (await handler({ action: 'say_hello', params: { name: 3 } }, context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as Error & { code: string; status: number }
    expect(error).toMatchObject({ name: 'INVALID_PARAMS', code: 'INVALID_PARAMS', status: 400 })
    expect(error.message).toMatch(/name/)
    expect(error.stack).toBe(`INVALID_PARAMS: ${error.message}`)
    await expect(handler({ action: 'nope', params: {} })).rejects.toMatchObject({
      name: 'UNKNOWN_ACTION',
    })
    await expect(handler({ params: {} })).rejects.toMatchObject({ name: 'BAD_REQUEST' })
  })

  it('verifies the bearer token like any other transport', async () => {
    const { token } = await issuer.issue({ subject: 'alice', scopes: ['root'] })
    await expect(
      handler({ action: 'only_for_root', params: {}, authorization: token }),
    ).resolves.toBe('Hello alice')
    await expect(
      handler({ action: 'only_for_root', params: {}, authorization: `Bearer ${token}` }),
    ).resolves.toBe('Hello alice')
    await expect(handler({ action: 'only_for_root', params: {} })).rejects.toMatchObject({
      name: 'UNAUTHENTICATED',
    })
    await expect(
      handler({ action: 'only_for_root', params: {}, authorization: `${token}x` }),
    ).rejects.toMatchObject({ name: 'UNAUTHENTICATED', message: 'The token signature is invalid' })
    const { token: user } = await issuer.issue({ subject: 'bob', scopes: ['user'] })
    await expect(
      handler({ action: 'only_for_root', params: {}, authorization: user }),
    ).rejects.toMatchObject({ name: 'FORBIDDEN' })
  })

  it('refuses an unsigned authorization object, which the original trusted', async () => {
    await expect(
      handler({
        action: 'only_for_root',
        params: {},
        authorization: { subject: 'root', scopes: ['root'] },
      }),
    ).rejects.toMatchObject({ name: 'UNAUTHENTICATED' })
  })

  it('accepts no token at all when no key is configured, saying why', async () => {
    const keyless = createLambdaHandler({
      actions: { only_for_root },
      env: { LOG_LEVEL: 'silent' },
    })
    const { token } = await issuer.issue({ subject: 'alice', scopes: ['root'] })
    await expect(
      keyless({ action: 'only_for_root', params: {}, authorization: token }),
    ).rejects.toMatchObject({
      name: 'UNAUTHENTICATED',
      message: 'This server is not configured to accept bearer tokens',
    })
  })

  it('refuses an event it does not know, and a function for an action that is not there', async () => {
    await expect(handler({ hello: 'world' })).rejects.toMatchObject({ name: 'BAD_REQUEST' })
    await expect(handler('a string')).rejects.toMatchObject({ name: 'BAD_REQUEST' })
    expect(() => createLambdaHandler({ actions: { say_hello }, action: 'nope', env })).toThrow(
      /No action is named 'nope'/,
    )
  })
})

describe('EventBridge schedules', () => {
  it('runs the schedule named by its input as the system, with its params', async () => {
    runs.length = 0
    const handler = createLambdaHandler({ actions: { tick }, action: 'tick', env })
    await expect(
      handler({ servey: 'schedule', action: 'tick', schedule: 0 }, context),
    ).resolves.toEqual({ ok: true })
    expect(runs).toEqual([{ subject: null, scopes: ['system'], tick: 'tick#0@req-1' }])
  })

  it('checks access like any call: a schedule without the scope is refused and logged', async () => {
    runs.length = 0
    const log = recordingLog()
    const handler = createLambdaHandler({ actions: { tick }, action: 'tick', env, log })
    await expect(handler({ servey: 'schedule', action: 'tick', schedule: 1 })).resolves.toEqual({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(runs).toEqual([])
    expect(log.lines).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN' }))
  })

  it('takes a bare EventBridge event for an action with one schedule', async () => {
    const log = recordingLog()
    const handler = createLambdaHandler({ actions: { flaky, tick }, action: 'flaky', env, log })
    const event = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2026-10-08T16:53:06Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule'],
      detail: {},
    }
    // INTERNAL is worth a retry: thrown, so Lambda's asynchronous retries run it again.
    await expect(handler(event, context)).rejects.toMatchObject({ name: 'INTERNAL' })
    expect(log.lines).toContainEqual(expect.objectContaining({ code: 'INTERNAL' }))
    // A router cannot tell which action a bare event is for.
    const router = createLambdaHandler({ actions: { flaky, tick }, env, log })
    await expect(router(event)).resolves.toEqual({ ok: false, code: 'BAD_REQUEST' })
  })

  it('refuses a schedule the action does not have', async () => {
    const handler = createLambdaHandler({ actions: { tick }, env, log: recordingLog() })
    await expect(handler({ servey: 'schedule', action: 'tick', schedule: 7 })).resolves.toEqual({
      ok: false,
      code: 'BAD_REQUEST',
    })
    await expect(handler({ servey: 'schedule', action: 'nope', schedule: 0 })).resolves.toEqual({
      ok: false,
      code: 'UNKNOWN_ACTION',
    })
  })
})
