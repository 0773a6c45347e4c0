import { action, ActionError, Type } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startReceiver, type CallbackReceiver } from '@servey/testing/webhook-receiver'
import { eventually, invokerFor, recordingLogger } from '../test-support/fixtures.ts'
import { createInProcessJobs, type InProcessJobs } from './in-process-jobs.ts'

let jobs: InProcessJobs | undefined
let receiver: CallbackReceiver | undefined
afterEach(async () => {
  await jobs?.close(1000)
  await receiver?.close()
  jobs = undefined
  receiver = undefined
})

const callbacks = { secret: 'k', policy: { allowedHosts: ['127.0.0.1'] }, backoffMs: 10 }

function start(actions: Record<string, unknown>, retentionMs?: number): InProcessJobs {
  jobs = createInProcessJobs({
    invoker: invokerFor(actions),
    log: recordingLogger(),
    callbacks,
    ...(retentionMs === undefined ? {} : { retentionMs }),
  })
  return jobs
}

const done = (runner: InProcessJobs, id: string) =>
  eventually(async () => {
    const state = await runner.get(id)
    return state?.finishedAt !== undefined ? state : undefined
  })

describe('createInProcessJobs', () => {
  const square = action(
    { params: Type.Object({ n: Type.Number() }), result: Type.Number() },
    function square({ n }, context) {
      if (n < 0) throw new ActionError('BAD_REQUEST', 'negative')
      return context.authorization?.subject === 'alice' ? n * n : -1
    },
  )

  it('runs a job as its caller and keeps the result', async () => {
    const runner = start({ square })
    const id = await runner.enqueue({
      action: 'square',
      params: { n: 4 },
      authorization: { subject: 'alice', scopes: [], claims: {} },
    })
    expect(['queued', 'running']).toContain((await runner.get(id))?.status)
    expect(await done(runner, id)).toMatchObject({
      id,
      status: 'succeeded',
      result: 16,
      subject: 'alice',
      progress: 100,
    })
  })

  it('keeps a failure as a problem', async () => {
    const runner = start({ square })
    const id = await runner.enqueue({ action: 'square', params: { n: -1 }, authorization: null })
    expect(await done(runner, id)).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_REQUEST', status: 400, detail: 'negative' },
    })
  })

  it("cancel fires the handler's signal", async () => {
    let aborted = false
    const waiting = action({}, function waiting(_params, context) {
      return new Promise((resolve) =>
        context.signal.addEventListener('abort', () => resolve((aborted = true))),
      )
    })
    const runner = start({ waiting })
    const id = await runner.enqueue({ action: 'waiting', params: {}, authorization: null })
    await eventually(async () => ((await runner.get(id))?.status === 'running' ? true : undefined))
    expect((await runner.cancel(id))?.status).toBe('cancelled')
    await eventually(() => (aborted ? true : undefined))
    expect(await runner.get(id)).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    })
    expect(await runner.cancel('nope')).toBeUndefined()
  })

  it('forgets finished jobs after the retention time', async () => {
    const runner = start({ square }, 50)
    const id = await runner.enqueue({ action: 'square', params: { n: 2 }, authorization: null })
    await done(runner, id)
    await eventually(async () => ((await runner.get(id)) === undefined ? true : undefined))
  })

  it('gives the first job again for a retry under the same idempotency key: it runs once', async () => {
    let runs = 0
    const count = action({ params: Type.Object({ n: Type.Number() }) }, function count() {
      runs += 1
    })
    const runner = start({ count })
    const alice = { subject: 'alice', scopes: [], claims: {} }
    const ask = (params: unknown, authorization = alice, idempotencyKey = 'key-1') =>
      runner.enqueue({ action: 'count', params, authorization, idempotencyKey })
    const first = await ask({ n: 1 })
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    await done(runner, first)
    // After the job ended too, while it is kept: the same id, and no second run.
    expect(await ask({ n: 1 })).toBe(first)
    await expect(ask({ n: 2 })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
    })
    // Another caller, or another key, is another request.
    const bob = await ask({ n: 1 }, { subject: 'bob', scopes: [], claims: {} })
    const other = await ask({ n: 1 }, alice, 'key-2')
    expect(new Set([first, bob, other]).size).toBe(3)
    await done(runner, bob)
    await done(runner, other)
    expect(runs).toBe(3)
  })

  it('forgets an idempotency key with its job: after the retention a key starts a new job', async () => {
    let runs = 0
    const count = action({}, function count() {
      runs += 1
    })
    const runner = start({ count }, 20)
    const ask = () =>
      runner.enqueue({ action: 'count', params: {}, authorization: null, idempotencyKey: 'k' })
    const id = await ask()
    // Kept 20 ms after it ends: too short to be seen finished, so wait for it to be gone.
    await eventually(() => (runs === 1 ? true : undefined))
    await eventually(async () => ((await runner.get(id)) === undefined ? true : undefined))
    expect(await ask()).toBe(id)
    await eventually(() => (runs === 2 ? true : undefined))
  })

  it('calls the callback URL with the result when the job ends', async () => {
    receiver = await startReceiver(1)
    const runner = start({ square })
    const id = await runner.enqueue({
      action: 'square',
      params: { n: 3 },
      authorization: { subject: 'alice', scopes: [], claims: {} },
      callback: { url: receiver.url, method: 'POST' },
    })
    await eventually(() => (receiver!.calls.length > 0 ? true : undefined))
    expect(JSON.parse(receiver.calls[0]!.body)).toEqual({
      jobId: id,
      action: 'square',
      status: 'succeeded',
      result: 9,
    })
  })

  it('retries a retryable failure with exponential backoff, as BullMQ does', async () => {
    const tries: number[] = []
    const flaky = action({ result: Type.Number() }, function flaky() {
      tries.push(Date.now())
      if (tries.length < 3) throw new ActionError('UNAVAILABLE', 'not yet')
      return tries.length
    })
    jobs = createInProcessJobs({
      invoker: invokerFor({ flaky }),
      log: recordingLogger(),
      callbacks,
      attempts: 3,
      backoffMs: 40,
    })
    const id = await jobs.enqueue({ action: 'flaky', params: {}, authorization: null })
    expect(await done(jobs, id)).toMatchObject({ status: 'succeeded', result: 3 })
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(38)
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(78)
  })

  it('gives up after the last attempt, and never retries a non-retryable failure', async () => {
    let unavailable = 0
    let bad = 0
    const down = action({}, function down() {
      unavailable += 1
      throw new ActionError('UNAVAILABLE', 'down')
    })
    const refuse = action({}, function refuse() {
      bad += 1
      throw new ActionError('BAD_REQUEST', 'no')
    })
    jobs = createInProcessJobs({
      invoker: invokerFor({ down, refuse }),
      log: recordingLogger(),
      callbacks,
      attempts: 2,
      backoffMs: 5,
    })
    const first = await jobs.enqueue({ action: 'down', params: {}, authorization: null })
    const second = await jobs.enqueue({ action: 'refuse', params: {}, authorization: null })
    expect(await done(jobs, first)).toMatchObject({
      status: 'failed',
      error: { code: 'UNAVAILABLE' },
    })
    expect(await done(jobs, second)).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_REQUEST' },
    })
    expect([unavailable, bad]).toEqual([2, 1])
  })

  it('runs new jobs on the invoker it is told to use; a running job finishes on its own', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const version = (label: string, wait: boolean) =>
      action({ result: Type.String() }, async function version() {
        if (wait) await gate
        return label
      })
    jobs = createInProcessJobs({
      invoker: invokerFor({ version: version('old', true) }),
      log: recordingLogger(),
      callbacks,
    })
    const before = await jobs.enqueue({ action: 'version', params: {}, authorization: null })
    jobs.use(invokerFor({ version: version('new', false) }))
    const after = await jobs.enqueue({ action: 'version', params: {}, authorization: null })
    expect(await done(jobs, after)).toMatchObject({ result: 'new' })
    expect((await jobs.get(before))?.status).toBe('running')
    release()
    expect(await done(jobs, before)).toMatchObject({ result: 'old' })
  })
})

describe('createInProcessJobs: delay and retries (channel handlers ask for them)', () => {
  it('cancels a job while it waits out its delay: it never runs', async () => {
    let runs = 0
    const later = action({ params: Type.Object({}) }, function later() {
      runs++
      return null
    })
    const runner = start({ later })
    const id = await runner.enqueue({
      action: 'later',
      params: {},
      authorization: null,
      delayMs: 5000,
    })
    expect(await runner.get(id)).toMatchObject({ status: 'queued' })
    expect(await runner.cancel(id)).toMatchObject({ status: 'cancelled' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(runs).toBe(0)
  })

  it('drops a job still waiting at shutdown instead of holding the shutdown', async () => {
    let runs = 0
    const later = action({ params: Type.Object({}) }, function later() {
      runs++
      return null
    })
    const runner = start({ later })
    const id = await runner.enqueue({
      action: 'later',
      params: {},
      authorization: null,
      delayMs: 60_000,
    })
    const started = Date.now()
    await runner.close(5000)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await runner.get(id)).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    })
    expect(runs).toBe(0)
  })

  it('retries only as often as the request asks, and records the last failure', async () => {
    let runs = 0
    const flaky = action({ params: Type.Object({}) }, function flaky() {
      runs++
      throw new ActionError('UNAVAILABLE', `down ${runs}`)
    })
    const runner = start({ flaky })
    const once = await done(
      runner,
      await runner.enqueue({ action: 'flaky', params: {}, authorization: null }),
    )
    expect(runs).toBe(1)
    expect(once).toMatchObject({ status: 'failed', error: { code: 'UNAVAILABLE' } })
    runs = 0
    const thrice = await done(
      runner,
      await runner.enqueue({
        action: 'flaky',
        params: {},
        authorization: null,
        attempts: 3,
        backoffMs: 10,
      }),
    )
    expect(runs).toBe(3)
    expect(thrice).toMatchObject({ status: 'failed', error: { detail: 'down 3' } })
  })
})
