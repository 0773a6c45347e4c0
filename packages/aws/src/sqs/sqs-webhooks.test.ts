import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
  type ChangeMessageVisibilityCommandInput,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs'
import { action, channel, Type, type Logger } from '@servey/core'
import { startReceiver, type CallbackReceiver } from '@servey/testing/webhook-receiver'
import { verifyCallbackSignature } from '@servey/webhooks'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLambdaHandler } from '../runtime/create-lambda-handler.ts'
import type { SqsBatchResponse } from './consume-sqs.ts'
import { QUEUE_URL, sqsEvent, sqsRecord } from './sqs-events.fixture.ts'

const CALLBACK_SECRET = 'the-app-webhook-signing-key'
const DLQ_URL = 'https://sqs.us-east-2.amazonaws.com/123456789012/my-queue-dlq'
const env = {
  LOG_LEVEL: 'silent',
  SERVEY_JOBS_QUEUE_URL: QUEUE_URL,
  SERVEY_JOBS_DLQ_URL: DLQ_URL,
  SERVEY_CALLBACK_SECRET: CALLBACK_SECRET,
  // The receiver listens on 127.0.0.1, which the SSRF rules refuse unless it is listed.
  SERVEY_CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
}

const sqs = mockClient(SQSClient)
afterAll(() => sqs.restore())

let sent: Array<{ queue: string; body: string }>
let visibility: ChangeMessageVisibilityCommandInput[]
let refuse: (body: string) => boolean
beforeEach(() => {
  sqs.reset()
  sent = []
  visibility = []
  refuse = () => false
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    const entries = input.Entries ?? []
    const failed = entries.filter((entry) => refuse(entry.MessageBody ?? ''))
    for (const entry of entries) {
      if (!failed.includes(entry)) sent.push({ queue: input.QueueUrl!, body: entry.MessageBody! })
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
  sqs.on(ChangeMessageVisibilityCommand).callsFake((input: ChangeMessageVisibilityCommandInput) => {
    visibility.push(input)
    return {}
  })
})

let receiver: CallbackReceiver | undefined
afterEach(async () => {
  await receiver?.close()
  receiver = undefined
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

const Alert = Type.Object({ level: Type.Integer(), text: Type.String() })

/** An `alerts` channel: a background action in group 0, a webhook in group 1 for level >= 3. */
function alertApp(url: string) {
  const noted: string[] = []
  const note_alert = action({ params: Alert, result: Type.Null() }, ({ text }) => {
    noted.push(text)
    return null
  })
  const alerts = channel('alerts', {
    payload: Alert,
    handlers: [
      { action: note_alert },
      {
        webhook: url,
        group: 1,
        filter: (alert) => alert.level >= 3,
        headers: { 'x-api-key': 'receiver-key' },
        attempts: 3,
        backoff: '2s',
        timeout: '5s',
      },
    ],
  })
  const raise_alert = action(
    { params: Alert, result: Type.String() },
    async (alert, context) => (await context.publish(alerts, alert)).id,
  )
  return { noted, actions: { alerts, note_alert, raise_alert } }
}

const bodies = (queue = QUEUE_URL) =>
  sent
    .filter((message) => message.queue === queue)
    .map((message) => JSON.parse(message.body) as Record<string, any>)
const webhookBodies = () => sent.filter((message) => message.body.includes('"servey":"webhook"'))

/** Publish one alert through the Lambda publisher; the webhook message it sent. */
async function publishAlert(app: ReturnType<typeof alertApp>, level = 4) {
  const publisher = createLambdaHandler({ actions: app.actions, action: 'raise_alert', env })
  const id = (await publisher({ params: { level, text: 'disk 91% full' } })) as string
  const [webhook] = webhookBodies()
  return { id, body: webhook!.body }
}

describe('webhook channel handlers on Lambda, through SQS', () => {
  it('sends the delivery to the jobs queue at publish; the consumer POSTs it signed', async () => {
    receiver = await startReceiver()
    const app = alertApp(receiver.url)
    const { id, body } = await publishAlert(app)
    // Two messages on the one queue: the background action's job and the webhook delivery.
    expect(
      bodies()
        .map((message) => message['servey'])
        .sort(),
    ).toEqual(['job', 'webhook'])
    expect(JSON.parse(body)).toEqual({
      servey: 'webhook',
      v: 1,
      id: expect.any(String),
      attempt: 1,
      delivery: {
        url: receiver.url,
        headers: { 'x-api-key': 'receiver-key' },
        envelope: { channel: 'alerts', id, event: { level: 4, text: 'disk 91% full' } },
        timeoutMs: 5000,
        attempts: 3,
        backoffMs: 2000,
      },
    })
    // The signing key stays in the consumer's environment, never in the queue.
    expect(body).not.toContain(CALLBACK_SECRET)

    const consumer = createLambdaHandler({ actions: app.actions, env })
    const job = sent.find((message) => !message.body.includes('"servey":"webhook"'))!.body
    const result = (await consumer(sqsEvent(sqsRecord(job), sqsRecord(body)))) as SqsBatchResponse
    expect(result).toEqual({ batchItemFailures: [] })
    expect(app.noted).toEqual(['disk 91% full'])
    expect(receiver.calls).toHaveLength(1)
    const [call] = receiver.calls
    expect(call).toMatchObject({ method: 'POST', url: '/hook' })
    expect(JSON.parse(call!.body)).toEqual({ level: 4, text: 'disk 91% full' })
    expect(call!.headers).toMatchObject({
      'content-type': 'application/json',
      'servey-channel': 'alerts',
      'servey-event-id': id,
      'x-api-key': 'receiver-key',
      'user-agent': 'servey-webhook',
    })
    const signature = call!.headers['servey-signature'] as string
    expect(verifyCallbackSignature(CALLBACK_SECRET, call!.body, signature)).toBe(true)
    expect(verifyCallbackSignature('another-key', call!.body, signature)).toBe(false)
  })

  it('leaves the webhook out when its filter fails, as core chose it', async () => {
    receiver = await startReceiver()
    const app = alertApp(receiver.url)
    const publisher = createLambdaHandler({ actions: app.actions, action: 'raise_alert', env })
    await publisher({ params: { level: 1, text: 'all fine' } })
    expect(bodies().map((message) => message['servey'])).toEqual(['job'])
  })

  it('reports a refused delivery in batchItemFailures after its backoff, then delivers', async () => {
    receiver = await startReceiver(2)
    const app = alertApp(receiver.url)
    const { body } = await publishAlert(app)
    const consumer = createLambdaHandler({ actions: app.actions, env })

    // First try: the receiver answers 500; the record comes back after backoff (2 s).
    const first = sqsRecord(body)
    expect(await consumer(sqsEvent(first))).toEqual({
      batchItemFailures: [{ itemIdentifier: first.messageId }],
    })
    expect(visibility).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: first.receiptHandle, VisibilityTimeout: 2 },
    ])
    // Second receipt (ApproximateReceiveCount 2): 500 again, the backoff doubles.
    const second = sqsRecord(body, 2)
    expect(await consumer(sqsEvent(second))).toEqual({
      batchItemFailures: [{ itemIdentifier: second.messageId }],
    })
    expect(visibility.map((input) => input.VisibilityTimeout)).toEqual([2, 4])
    // Third and last try: delivered, the record is done.
    expect(await consumer(sqsEvent(sqsRecord(body, 3)))).toEqual({ batchItemFailures: [] })
    expect(receiver.calls).toHaveLength(1)
    expect(bodies(DLQ_URL)).toEqual([])
  })

  it('ends a delivery on its last try in the dead-letter queue, with its problem', async () => {
    receiver = await startReceiver(10)
    const app = alertApp(receiver.url)
    const { id, body } = await publishAlert(app)
    const log = recordingLog()
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    expect(await consumer(sqsEvent(sqsRecord(body, 3)))).toEqual({ batchItemFailures: [] })
    expect(visibility).toEqual([])
    expect(bodies(DLQ_URL)).toEqual([
      expect.objectContaining({
        servey: 'webhook',
        attempt: 3,
        delivery: expect.objectContaining({ envelope: expect.objectContaining({ id }) }),
        failure: expect.objectContaining({ code: 'UNAVAILABLE', status: 503 }),
      }),
    ])
    expect(log.lines.map((line) => line.msg)).toEqual([
      'webhook refused by the receiver',
      'webhook not delivered',
    ])
  })

  it('never retries a host the SSRF rules refuse, nor a delivery it has no key to sign', async () => {
    receiver = await startReceiver()
    const app = alertApp(receiver.url)
    const { body } = await publishAlert(app)

    const { SERVEY_CALLBACK_ALLOWED_HOSTS: _allowed, ...noAllowedHosts } = env
    const strict = createLambdaHandler({ actions: app.actions, env: noAllowedHosts })
    expect(await strict(sqsEvent(sqsRecord(body)))).toEqual({ batchItemFailures: [] })

    const { SERVEY_CALLBACK_SECRET: _secret, ...noSecret } = env
    const unkeyed = createLambdaHandler({ actions: app.actions, env: noSecret })
    expect(await unkeyed(sqsEvent(sqsRecord(body)))).toEqual({ batchItemFailures: [] })

    expect(receiver.calls).toEqual([])
    expect(visibility).toEqual([])
    const failures = bodies(DLQ_URL).map((message) => message['failure'])
    expect(failures).toEqual([
      expect.objectContaining({ code: 'BAD_REQUEST', detail: expect.stringMatching(/refused/) }),
      expect.objectContaining({
        code: 'UNAVAILABLE',
        detail: expect.stringMatching(/SERVEY_CALLBACK_SECRET is not set/),
      }),
    ])
  })

  it('fails the publish with UNAVAILABLE when SQS refuses the delivery or there is no queue', async () => {
    const app = alertApp('https://hooks.example.com/alerts')
    refuse = (body) => body.includes('"servey":"webhook"')
    const publisher = createLambdaHandler({ actions: app.actions, action: 'raise_alert', env })
    await expect(publisher({ params: { level: 5, text: 'down' } })).rejects.toMatchObject({
      name: 'UNAVAILABLE',
    })
    const { SERVEY_JOBS_QUEUE_URL: _queue, ...noQueue } = env
    const alone = createLambdaHandler({ actions: app.actions, action: 'raise_alert', env: noQueue })
    await expect(alone({ params: { level: 5, text: 'down' } })).rejects.toMatchObject({
      name: 'UNAVAILABLE',
    })
  })

  it('drops a malformed webhook message to the dead-letter queue, never failing the batch', async () => {
    const app = alertApp('https://hooks.example.com/alerts')
    const log = recordingLog()
    const consumer = createLambdaHandler({ actions: app.actions, env, log })
    const record = sqsRecord(JSON.stringify({ servey: 'webhook', v: 1, id: 'w1', delivery: {} }))
    expect(await consumer(sqsEvent(record))).toEqual({ batchItemFailures: [] })
    expect(sent).toEqual([{ queue: DLQ_URL, body: record.body }])
    expect(log.lines).toEqual([
      {
        obj: expect.objectContaining({
          code: 'BAD_REQUEST',
          err: expect.objectContaining({ message: 'Not a Servey webhook message: no url' }),
        }),
        msg: `SQS message ${record.messageId} is not a Servey job or webhook: dropped`,
      },
    ])
  })
})
