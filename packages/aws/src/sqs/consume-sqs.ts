import {
  isRetryable,
  toProblem,
  type Invoker,
  type Logger,
  type Trigger,
} from '@servey/core/adapter'
import { authorizationOf, jobMessageOf, parseMessageBody, type JobMessage } from './job-message.ts'
import {
  delayedAgain,
  messageOf,
  outgoingJob,
  sendMessages,
  type OutgoingMessage,
  type SendTarget,
} from './send-jobs.ts'
import { planWebhookRecord, type WebhookConsumerSettings } from './consume-webhook.ts'
import {
  attemptOf,
  queueUrlOfArn,
  waitBeforeRetry,
  type RecordPlan,
  type SqsRecord,
} from './sqs-record.ts'
import { decodeWebhookMessage, type WebhookMessage } from './webhook-message.ts'

export { queueUrlOfArn, type SqsRecord } from './sqs-record.ts'

/** What Lambda reads back with `functionResponseType: ReportBatchItemFailures`. */
export interface SqsBatchResponse {
  readonly batchItemFailures: Array<{ readonly itemIdentifier: string }>
}

/** `context.trigger` of a job run from SQS. */
export interface SqsJobTrigger extends Trigger {
  readonly kind: 'job'
  readonly id: string
  readonly via: 'sqs'
  /** Tries so far, this one included. */
  readonly attempt: number
  /** SQS keeps no job state: progress is accepted and not recorded. */
  readonly progress: (percent: number) => Promise<void>
}

export interface SqsConsumerTarget {
  readonly invoker: Invoker
  readonly log: Logger
  /** Where the next link of a chain goes; default the queue each record came from. */
  readonly queue: SendTarget | undefined
  /** Jobs that end in failure are sent here, with their problem, when set. */
  readonly deadLetterQueue: SendTarget | undefined
  /** Tries for a retryable failure when the job does not say (BullMQ's default too). */
  readonly defaultAttempts?: number
  /** First retry delay when the job does not say, doubled each time. */
  readonly defaultBackoffMs?: number
  /** The signing key and SSRF rules of webhook deliveries (messages sent by publishers). */
  readonly webhooks: WebhookConsumerSettings
}

const noop = (): Promise<void> => Promise.resolve()

async function planRecord(
  record: SqsRecord,
  target: SqsConsumerTarget,
  requestId: string | undefined,
): Promise<RecordPlan> {
  const plan: RecordPlan = { retry: false, sends: [] }
  let message: JobMessage | WebhookMessage
  try {
    const parsed = parseMessageBody(record.body)
    message =
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as Record<string, unknown>)['servey'] === 'webhook'
        ? decodeWebhookMessage(parsed as Record<string, unknown>)
        : jobMessageOf(parsed)
  } catch (error) {
    // Running it again cannot fix it: never retried, kept in the dead-letter queue if any.
    target.log.error(
      { err: error, code: 'BAD_REQUEST', messageId: record.messageId },
      `SQS message ${record.messageId} is not a Servey job or webhook: dropped`,
    )
    if (target.deadLetterQueue !== undefined) {
      plan.sends.push({
        to: 'dlq',
        message: { body: record.body, delaySeconds: 0, label: `message ${record.messageId}` },
      })
    }
    return plan
  }
  if (message.servey === 'webhook') return planWebhookRecord(record, message, target)
  if (message.notBefore !== undefined && message.notBefore > Date.now() + 1000) {
    plan.sends.push({ to: 'queue', message: messageOf(delayedAgain(message)) })
    return plan
  }
  const attempt = attemptOf(record, message.attempt)
  const attempts = message.attempts ?? target.defaultAttempts ?? 3
  const log = target.log.child({ job: message.id, action: message.action, attempt })
  const trigger: SqsJobTrigger = {
    kind: 'job',
    id: message.id,
    via: 'sqs',
    attempt,
    progress: noop,
  }
  const outcome = await target.invoker.invoke({
    action: message.action,
    input: message.params,
    authorization: authorizationOf(message.authorization),
    trigger,
    log,
    requestId: message.requestId ?? requestId ?? message.id,
  })
  if (!outcome.ok) {
    const error = outcome.error
    if (isRetryable(error) && attempt < attempts) {
      log.warn({ code: error.code, err: error }, `job ${message.id} failed; SQS retries it`)
      const backoffMs = (message.backoffMs ?? target.defaultBackoffMs ?? 1000) * 2 ** (attempt - 1)
      await waitBeforeRetry(record, Math.ceil(backoffMs / 1000), log)
      plan.retry = true
      return plan
    }
    log.error(
      { code: error.code, err: error },
      isRetryable(error)
        ? `job ${message.id} failed after ${attempt} tries`
        : `job ${message.id} failed and is not retried`,
    )
    if (target.deadLetterQueue !== undefined) {
      const failure = toProblem(error, { requestId: message.requestId ?? message.id })
      plan.sends.push({
        to: 'dlq',
        message: {
          body: JSON.stringify({ ...message, attempt, failure }),
          delaySeconds: 0,
          label: `the failed job ${message.id}`,
        },
      })
    }
  }
  // The next group runs once this one has finished, whatever its outcome, as with BullMQ.
  if (message.next !== undefined) {
    plan.sends.push({ to: 'queue', message: messageOf(outgoingJob(message.next)) })
  }
  return plan
}

/**
 * An SQS batch of jobs and webhook deliveries: each job runs through `invoker.invoke` (so
 * validation, access and timeouts apply as on every trigger), and each webhook gets one
 * delivery attempt (consume-webhook.ts), concurrently. A retryable failure with tries left is
 * reported in `batchItemFailures` after its visibility is set to the backoff, so SQS delivers
 * that record alone again; any other failure is logged (and sent to the dead-letter queue when
 * one is configured) and its chain goes on. A record that is not a job is logged and dropped,
 * never a crash of the batch. Chain links are sent together with SendMessageBatch; a record
 * whose link could not be sent is retried, so a link may run twice but is never lost.
 */
export async function consumeSqs(
  event: Record<string, unknown>,
  target: SqsConsumerTarget,
  requestId: string | undefined,
): Promise<SqsBatchResponse> {
  const records = event['Records'] as readonly SqsRecord[]
  const plans = await Promise.all(
    records.map(async (record) => {
      try {
        return await planRecord(record, target, requestId)
      } catch (error) {
        target.log.error(
          { err: error, messageId: record.messageId },
          `SQS message ${record.messageId} could not be run; SQS delivers it again`,
        )
        return { retry: true, sends: [] } satisfies RecordPlan
      }
    }),
  )
  const outgoing: Array<{ readonly record: number; readonly message: OutgoingMessage }> = []
  const toDlq: Array<{ readonly record: number; readonly message: OutgoingMessage }> = []
  plans.forEach((plan, record) => {
    for (const send of plan.sends)
      (send.to === 'dlq' ? toDlq : outgoing).push({ record, message: send.message })
  })
  const send = async (
    entries: typeof outgoing,
    to: (record: number) => SendTarget | undefined,
  ): Promise<void> => {
    const byTarget = new Map<string, { target: SendTarget; entries: typeof outgoing }>()
    for (const entry of entries) {
      const queue = to(entry.record)
      if (queue === undefined) {
        target.log.error(
          { messageId: records[entry.record]!.messageId },
          `no queue to send ${entry.message.label} to`,
        )
        plans[entry.record]!.retry = true
        continue
      }
      const group = byTarget.get(queue.queueUrl) ?? { target: queue, entries: [] }
      group.entries.push(entry)
      byTarget.set(queue.queueUrl, group)
    }
    for (const group of byTarget.values()) {
      const failures = await sendMessages(
        group.target,
        group.entries.map((entry) => entry.message),
      )
      failures.forEach((failure, index) => {
        if (failure === undefined) return
        const record = group.entries[index]!.record
        target.log.error(
          { err: failure, code: failure.code, messageId: records[record]!.messageId },
          failure.message,
        )
        // A link too big to send will never fit: retrying would run the job again for nothing.
        if (failure.code !== 'PAYLOAD_TOO_LARGE') plans[record]!.retry = true
      })
    }
  }
  const maxMessageBytes = target.queue?.maxMessageBytes ?? 262_144
  await Promise.all([
    send(outgoing, (record) => {
      if (target.queue !== undefined) return target.queue
      const queueUrl = queueUrlOfArn(records[record]!.eventSourceARN)
      return queueUrl === undefined ? undefined : { queueUrl, maxMessageBytes }
    }),
    send(toDlq, () => target.deadLetterQueue),
  ])
  return {
    batchItemFailures: records
      .filter((_record, index) => plans[index]!.retry)
      .map((record) => ({ itemIdentifier: record.messageId })),
  }
}
