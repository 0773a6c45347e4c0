import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs'
import { action, ActionError, channel, createJwtIssuer, Type, type Logger } from '@servey/core'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createLambdaHandler } from '../runtime/create-lambda-handler.ts'
import type { SqsBatchResponse } from './consume-sqs.ts'
import { AWS_SAMPLE_SQS_EVENT, QUEUE_URL, sqsEvent, sqsRecord } from './sqs-events.fixture.ts'

const SECRET = 'an-sqs-test-secret-long-enough-for-hs256'
const DLQ_URL = 'https://sqs.us-east-2.amazonaws.com/123456789012/my-queue-dlq'
const env = {
  JWT_SECRET_KEY: SECRET,
  LOG_LEVEL: 'silent',
  SERVEY_JOBS_QUEUE_URL: QUEUE_URL,
  SERVEY_JOBS_DLQ_URL: DLQ_URL,
}
const issuer = createJwtIssuer({ secret: SECRET })

const sqs = mockClient(SQSClient)
afterAll(() => sqs.restore())

/** Every SendMessageBatch entry SQS took, per queue, in order. */
let sent: Array<{ queue: string; body: string; delaySeconds: number | undefined }>
/** Entry bodies SQS refuses, as a SendMessageBatch `Failed` entry. */
let refuse: (body: string) => boolean
beforeEach(() => {
  sqs.reset()
  sent = []
  refuse = () => false
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    const entries = input.Entries ?? []
    const failed = entries.filter((entry) => refuse(entry.MessageBody ?? ''))
    for (const entry of entries) {
      if (failed.includes(entry)) continue
      sent.push({
        queue: input.QueueUrl!,
        body: entry.MessageBody!,
        delaySeconds: entry.DelaySeconds,
      })
    }
    return {
      Successful: entries
        .filter((entry) => !failed.includes(entry))
        .map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
      Failed: failed.map((entry) => ({
        Id: entry.Id,
        SenderFault: false,
        Code: 'InternalError',
        Message: 'try again',
      })),
    }
  })
  sqs.on(ChangeMessageVisibilityCommand).resolves({})
})

const recordingLog = (): Logger & { lines: Array<{ obj: unknown; msg?: string }> } => {
  const lines: Array<{ obj: unknown; msg?: string }> = []
  const push = (obj: unknown, msg?: string) =>
    lines.push({ obj, ...(msg === undefined ? {} : { msg }) })
  const log: Logger & { lines: typeof lines } = {
    lines,
    debug: () => {},
    info: () => {},
    warn: push,
    error: push,
    child: () => log,
  }
  return log
}

const Order = Type.Object({ id: Type.String(), total: Type.Number(), spam: Type.Boolean() })

/** The reference page's `orders` channel: groups, filters, stop, a delay, scopes. */
function orderApp() {
  const ran: string[] = []
  let flakyFailures = 0
  const step = (name: string) =>
    action({ name, params: Order, result: Type.Null() }, ({ id }, context) => {
      ran.push(`${name}:${id}:${context.authorization?.scopes.join('+') ?? 'anonymous'}`)
      return null
    })
  const drop_spam = step('drop_spam')
  const audit = step('audit')
  const ship = step('ship')
  const thank = step('thank')
  const ship_big = action({ params: Order, result: Type.Null() }, ({ id }) => {
    if (flakyFailures > 0) {
      flakyFailures -= 1
      throw new ActionError('UNAVAILABLE', 'the warehouse is busy')
    }
    ran.push(`ship_big:${id}`)
    return null
  })
  const orders = channel('orders', {
    payload: Order,
    handlers: [
      { action: drop_spam, group: -1, filter: (order) => order.spam, stop: true },
      { action: audit, group: -1, scopes: ['audit'] },
      { action: ship_big, filter: (order) => order.total >= 100, attempts: 3, backoff: '2s' },
      { action: ship, delay: '30s' },
      { action: thank, group: 1, filter: (_order, publisher) => publisher !== null },
    ],
  })
  const place_order = action(
    { params: Order, result: Type.String() },
    async (order, context) => (await context.publish(orders, order)).id,
  )
  return {
    ran,
    failNext: (times: number) => {
      flakyFailures = times
    },
    actions: { orders, drop_spam, audit, ship_big, ship, thank, place_order },
  }
}

const bodies = (queue = QUEUE_URL) =>
  sent.filter((message) => message.queue === queue).map((message) => JSON.parse(message.body))

describe('background-action channel handlers on SQS', () => {
  it('sends the chain core selected as one message, then each group after the previous', async () => {
    const app = orderApp()
    const log = recordingLog()
    const publisher = createLambdaHandler({ actions: app.actions, action: 'place_order', env })
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    const { token } = await issuer.issue({ subject: 'alice', scopes: [] })
    const id = await publisher({
      params: { id: 'o1', total: 20, spam: false },
      authorization: token,
    })
    expect(typeof id).toBe('string')
    // audit (group -1), ship (group 0, delayed 30 s), thank (group 1: a signed-in publisher)
    expect(sent).toHaveLength(1)
    const [first] = bodies()
    expect(first).toMatchObject({
      servey: 'job',
      v: 1,
      action: 'audit',
      params: { id: 'o1', total: 20, spam: false },
      authorization: { kind: 'system', scopes: ['audit'] },
      requestId: `orders:${String(id)}:1`,
      attempt: 1,
      next: {
        action: 'ship',
        delayMs: 30_000,
        authorization: { kind: 'system', scopes: [] },
        next: { action: 'thank' },
      },
    })
    expect(sent[0]!.delaySeconds).toBeUndefined()

    // Each run sends the next link: ship with its 30 s delay, then thank.
    const runLink = async (): Promise<SqsBatchResponse> => {
      const last = sent.at(-1)!
      return (await consumer(sqsEvent(sqsRecord(last.body)))) as SqsBatchResponse
    }
    expect(await runLink()).toEqual({ batchItemFailures: [] })
    expect(sent).toHaveLength(2)
    expect(sent[1]!.delaySeconds).toBe(30)
    expect(bodies()[1]).toMatchObject({ action: 'ship', attempt: 1, next: { action: 'thank' } })
    expect(bodies()[1]).not.toHaveProperty('delayMs')
    expect(await runLink()).toEqual({ batchItemFailures: [] })
    expect(await runLink()).toEqual({ batchItemFailures: [] })
    expect(sent).toHaveLength(3)
    expect(app.ran).toEqual(['audit:o1:audit', 'ship:o1:', 'thank:o1:'])
    expect(log.lines).toEqual([])
  })

  it('follows stop: a spam order goes to drop_spam alone', async () => {
    const app = orderApp()
    const publisher = createLambdaHandler({ actions: app.actions, action: 'place_order', env })
    await publisher({ params: { id: 'o2', total: 500, spam: true } })
    expect(bodies()).toHaveLength(1)
    expect(bodies()[0]).toMatchObject({ action: 'drop_spam' })
    expect(bodies()[0]).not.toHaveProperty('next')
  })

  it('retries a retryable failure through batchItemFailures with backoff, then moves on', async () => {
    const app = orderApp()
    const log = recordingLog()
    const publisher = createLambdaHandler({ actions: app.actions, action: 'place_order', env })
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    await publisher({ params: { id: 'o3', total: 500, spam: false } })
    // audit runs, and sends ship_big (group 0; anonymous, so no thank)
    await consumer(sqsEvent(sqsRecord(sent[0]!.body)))
    const shipBig = sent[1]!.body
    expect(JSON.parse(shipBig)).toMatchObject({ action: 'ship_big', attempts: 3, backoffMs: 2000 })
    app.failNext(3)

    const first = sqsRecord(shipBig, 1)
    expect(await consumer(sqsEvent(first))).toEqual({
      batchItemFailures: [{ itemIdentifier: first.messageId }],
    })
    // The first retry waits the backoff (2 s), the second twice that.
    expect(
      sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input),
    ).toEqual([{ QueueUrl: QUEUE_URL, ReceiptHandle: first.receiptHandle, VisibilityTimeout: 2 }])
    const second = sqsRecord(shipBig, 2)
    expect(await consumer(sqsEvent(second))).toEqual({
      batchItemFailures: [{ itemIdentifier: second.messageId }],
    })
    expect(
      sqs.commandCalls(ChangeMessageVisibilityCommand)[1]!.args[0].input.VisibilityTimeout,
    ).toBe(4)
    expect(sent).toHaveLength(2)

    // The third try is the last: the failure goes to the dead-letter queue, not back to SQS.
    const third = sqsRecord(shipBig, 3)
    expect(await consumer(sqsEvent(third))).toEqual({ batchItemFailures: [] })
    expect(bodies(DLQ_URL)).toEqual([
      expect.objectContaining({
        action: 'ship_big',
        attempt: 3,
        failure: expect.objectContaining({ code: 'UNAVAILABLE', status: 503 }),
      }),
    ])
    expect(log.lines.map((line) => line.msg).filter((msg) => msg?.startsWith('job'))).toEqual([
      expect.stringMatching(/failed; SQS retries it/),
      expect.stringMatching(/failed; SQS retries it/),
      expect.stringMatching(/failed after 3 tries/),
    ])
    expect(app.ran).toEqual(['audit:o3:audit'])
  })

  it('drops a non-retryable failure at once, to the dead-letter queue, and runs the next group', async () => {
    const app = orderApp()
    const log = recordingLog()
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    // An event that does not fit the handler's params fails the job, not the publish.
    const body = JSON.stringify({
      servey: 'job',
      v: 1,
      id: 'job-1',
      action: 'audit',
      params: { id: 'o4' },
      authorization: { kind: 'system', scopes: ['audit'] },
      attempt: 1,
      next: { action: 'thank', params: { id: 'o4', total: 1, spam: false }, authorization: null },
    })
    const record = sqsRecord(body)
    expect(await consumer(sqsEvent(record))).toEqual({ batchItemFailures: [] })
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0)
    expect(bodies(DLQ_URL)).toEqual([
      expect.objectContaining({
        id: 'job-1',
        failure: expect.objectContaining({ code: 'INVALID_PARAMS' }),
      }),
    ])
    expect(bodies()).toEqual([expect.objectContaining({ action: 'thank', attempt: 1 })])
    expect(log.lines).toEqual([
      expect.objectContaining({ msg: 'job job-1 failed and is not retried' }),
    ])
  })

  it('reports malformed records clearly, never failing the batch or its good records', async () => {
    const app = orderApp()
    const log = recordingLog()
    const consumer = createLambdaHandler({
      actions: app.actions,
      env: { ...env, SERVEY_JOBS_DLQ_URL: '' },
      log,
    })
    // The AWS documentation's sample event: bodies that are not jobs.
    expect(await consumer(AWS_SAMPLE_SQS_EVENT)).toEqual({ batchItemFailures: [] })
    expect(log.lines.map((line) => line.msg)).toEqual([
      'SQS message 059f36b4-87a3-44ab-83d2-661975830a7d is not a Servey job or webhook: dropped',
      'SQS message 2e1424d4-f796-459a-8184-9c92662be6da is not a Servey job or webhook: dropped',
    ])
    expect(log.lines[0]!.obj).toMatchObject({ code: 'BAD_REQUEST' })

    log.lines.length = 0
    const good = JSON.stringify({
      servey: 'job',
      v: 1,
      id: 'job-2',
      action: 'ship',
      params: { id: 'o5', total: 1, spam: false },
      authorization: null,
      attempt: 1,
    })
    const bad = [
      '{"servey":"job","v":2,"id":"x","action":"ship"}',
      '{"servey":"job","v":1,"id":"x"}',
      '{"servey":"job","v":1,"id":"x","action":"ship","authorization":{"kind":"root"}}',
      '{"servey":"job","v":1,"id":"x","action":"ship","attempts":-1}',
      '[1,2]',
    ]
    const records = [...bad.map((body) => sqsRecord(body)), sqsRecord(good)]
    expect(await consumer(sqsEvent(...records))).toEqual({ batchItemFailures: [] })
    expect(app.ran).toEqual(['ship:o5:anonymous'])
    expect(log.lines.map((line) => line.msg)).toEqual(
      records
        .slice(0, bad.length)
        .map((record) => `SQS message ${record.messageId} is not a Servey job or webhook: dropped`),
    )
    expect(log.lines.map((line) => (line.obj as { err: Error }).err.message)).toEqual([
      'Not a Servey job message: unknown version 2',
      'Not a Servey job message: no action',
      'Not a Servey job message: bad authorization',
      'Not a Servey job message: attempts must be a non-negative number',
      'Not a Servey job message: no "servey": "job" mark',
    ])
  })

  it('sends a malformed record to the dead-letter queue when there is one', async () => {
    const app = orderApp()
    const consumer = createLambdaHandler({ actions: app.actions, env, log: recordingLog() })
    expect(await consumer(sqsEvent(sqsRecord('test')))).toEqual({ batchItemFailures: [] })
    expect(sent).toEqual([{ queue: DLQ_URL, body: 'test', delaySeconds: undefined }])
  })

  it('hops a delay longer than 900 s along in 900 s steps', async () => {
    const app = orderApp()
    const consumer = createLambdaHandler({ actions: app.actions, env, log: recordingLog() })
    const notBefore = Date.now() + 1_000_000
    const body = JSON.stringify({
      servey: 'job',
      v: 1,
      id: 'job-3',
      action: 'ship',
      params: { id: 'o6', total: 1, spam: false },
      authorization: null,
      attempt: 1,
      notBefore,
    })
    expect(await consumer(sqsEvent(sqsRecord(body)))).toEqual({ batchItemFailures: [] })
    expect(app.ran).toEqual([])
    expect(sent).toHaveLength(1)
    expect(sent[0]!.delaySeconds).toBe(900)
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ id: 'job-3', notBefore })
    const due = JSON.stringify({ ...JSON.parse(body), notBefore: Date.now() - 1 })
    expect(await consumer(sqsEvent(sqsRecord(due)))).toEqual({ batchItemFailures: [] })
    expect(app.ran).toEqual(['ship:o6:anonymous'])
  })

  it('retries the record whose next link SQS refused, so the chain is never cut', async () => {
    const app = orderApp()
    const log = recordingLog()
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    refuse = (body) => body.includes('"thank"')
    const link = (id: string) =>
      sqsRecord(
        JSON.stringify({
          servey: 'job',
          v: 1,
          id,
          action: 'ship',
          params: { id, total: 1, spam: false },
          authorization: null,
          attempt: 1,
          next: { action: 'thank', params: { id, total: 1, spam: false }, authorization: null },
        }),
      )
    const [a, b] = [link('a'), link('b')]
    expect(await consumer(sqsEvent(a, b))).toEqual({
      batchItemFailures: [{ itemIdentifier: a.messageId }, { itemIdentifier: b.messageId }],
    })
    expect(log.lines[0]!.obj).toMatchObject({ code: 'UNAVAILABLE' })
  })

  it('refuses a publish whose job is bigger than an SQS message, with PAYLOAD_TOO_LARGE', async () => {
    const app = orderApp()
    const publisher = createLambdaHandler({ actions: app.actions, action: 'place_order', env })
    await expect(
      publisher({ params: { id: 'x'.repeat(300_000), total: 1, spam: false } }),
    ).rejects.toMatchObject({ name: 'PAYLOAD_TOO_LARGE', status: 413 })
    expect(sent).toEqual([])
  })

  it('refuses a publish SQS does not take, and one with no queue, with UNAVAILABLE', async () => {
    const app = orderApp()
    refuse = () => true
    const publisher = createLambdaHandler({ actions: app.actions, action: 'place_order', env })
    await expect(publisher({ params: { id: 'o7', total: 1, spam: false } })).rejects.toMatchObject({
      name: 'UNAVAILABLE',
      message: expect.stringMatching(/SQS refused the job of action audit: InternalError/),
    })
    const noQueue = createLambdaHandler({
      actions: orderApp().actions,
      action: 'place_order',
      env: { JWT_SECRET_KEY: SECRET, LOG_LEVEL: 'silent' },
    })
    await expect(noQueue({ params: { id: 'o8', total: 1, spam: false } })).rejects.toMatchObject({
      name: 'UNAVAILABLE',
      message: expect.stringMatching(/no job runner/),
    })
  })
})
