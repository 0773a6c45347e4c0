import { randomUUID } from 'node:crypto'
import { ActionError } from '@servey/core/adapter'
import type { JobMessage, JobMessageRequest } from './job-message.ts'
import { sqsSdk } from './sqs-client.ts'

/** SQS's longest DelaySeconds. */
export const MAX_DELAY_SECONDS = 900

/**
 * The default size limit: 256 KiB, what every queue accepts. Queues made since AWS raised the
 * limit (and those `servey sls` makes) take up to 1 MiB, set with `maxMessageBytes`.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** SendMessageBatch takes at most ten entries. */
const MAX_BATCH_ENTRIES = 10

/** A message ready to send. */
export interface OutgoingJob {
  readonly message: JobMessage
  readonly delaySeconds: number
}

/** What SendMessageBatch sends: a body, its delay, and what to call it in errors. */
export interface OutgoingMessage {
  readonly body: string
  readonly delaySeconds: number
  readonly label: string
}

export const messageOf = (job: OutgoingJob): OutgoingMessage => ({
  body: JSON.stringify(job.message),
  delaySeconds: job.delaySeconds,
  label: `the job of action ${job.message.action}`,
})

/** A chain link (or a first job) as the message that starts it, its delay cut to SQS's. */
export function outgoingJob(request: JobMessageRequest, now = Date.now()): OutgoingJob {
  const { delayMs, ...rest } = request
  const delay = delayMs ?? 0
  return {
    message: {
      servey: 'job',
      v: 1,
      id: randomUUID(),
      attempt: 1,
      ...rest,
      ...(delay > MAX_DELAY_SECONDS * 1000 ? { notBefore: now + delay } : {}),
    },
    delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(delay / 1000)),
  }
}

/** The same job again, to wait out what remains of a delay longer than 900 s. */
export function delayedAgain(message: JobMessage, now = Date.now()): OutgoingJob {
  const remaining = (message.notBefore ?? now) - now
  return { message, delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(remaining / 1000)) }
}

export interface SendTarget {
  readonly queueUrl: string
  readonly maxMessageBytes: number
}

/**
 * Send messages with SendMessageBatch, ten entries and at most `maxMessageBytes` in all per
 * call. Resolves to one outcome per message, in order: undefined when SQS took it, else the
 * coded error (PAYLOAD_TOO_LARGE for a message too big to send, UNAVAILABLE when SQS refused
 * or could not be reached). It never rejects, so each caller decides what a failure means.
 */
export async function sendMessages(
  target: SendTarget,
  messages: readonly OutgoingMessage[],
): Promise<Array<ActionError | undefined>> {
  const outcomes: Array<ActionError | undefined> = messages.map(() => undefined)
  const bodies = messages.map((message) => message.body)
  let batch: number[] = []
  let batchBytes = 0
  const batches: number[][] = []
  bodies.forEach((body, index) => {
    const bytes = Buffer.byteLength(body)
    if (bytes > target.maxMessageBytes) {
      outcomes[index] = new ActionError(
        'PAYLOAD_TOO_LARGE',
        `${capitalized(messages[index]!.label)} is ${bytes} bytes as an SQS message; the queue takes at most ${target.maxMessageBytes}`,
      )
      return
    }
    if (batch.length === MAX_BATCH_ENTRIES || batchBytes + bytes > target.maxMessageBytes) {
      batches.push(batch)
      batch = []
      batchBytes = 0
    }
    batch.push(index)
    batchBytes += bytes
  })
  if (batch.length > 0) batches.push(batch)
  if (batches.length === 0) return outcomes
  const { sdk, client } = await sqsSdk()
  await Promise.all(
    batches.map(async (indexes) => {
      try {
        const answer = await client.send(
          new sdk.SendMessageBatchCommand({
            QueueUrl: target.queueUrl,
            Entries: indexes.map((index) => ({
              Id: String(index),
              MessageBody: bodies[index]!,
              ...(messages[index]!.delaySeconds > 0
                ? { DelaySeconds: messages[index]!.delaySeconds }
                : {}),
            })),
          }),
        )
        for (const failed of answer.Failed ?? []) {
          const index = Number(failed.Id)
          outcomes[index] = new ActionError(
            'UNAVAILABLE',
            `SQS refused ${messages[index]?.label ?? 'a message'}: ${failed.Code ?? 'error'} ${failed.Message ?? ''}`.trim(),
          )
        }
      } catch (error) {
        for (const index of indexes) {
          outcomes[index] = new ActionError(
            'UNAVAILABLE',
            `${capitalized(messages[index]!.label)} could not be sent to SQS`,
            { cause: error },
          )
        }
      }
    }),
  )
  return outcomes
}
