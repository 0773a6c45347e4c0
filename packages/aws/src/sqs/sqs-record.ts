import type { Logger } from '@servey/core/adapter'
import type { OutgoingMessage } from './send-jobs.ts'
import { sqsSdk } from './sqs-client.ts'

/** The fields of an SQS event record Servey reads (a subset of `aws-lambda`'s SQSRecord). */
export interface SqsRecord {
  readonly messageId: string
  readonly receiptHandle: string
  readonly body: string
  readonly attributes?: { readonly ApproximateReceiveCount?: string }
  readonly eventSourceARN?: string
}

/** What the consumer does with one record once it has run it. */
export interface RecordPlan {
  /** Report the record as failed: SQS delivers it again. */
  retry: boolean
  /** Messages to send once the record is done; if one cannot be sent, the record is retried. */
  readonly sends: Array<{ readonly to: 'queue' | 'dlq'; readonly message: OutgoingMessage }>
}

/** SQS's longest visibility timeout: the longest wait before a retry. */
const MAX_VISIBILITY_SECONDS = 43_200

/** arn:aws:sqs:<region>:<account>:<name> as the queue's URL. */
export function queueUrlOfArn(arn: string | undefined): string | undefined {
  const parts = arn?.split(':')
  if (parts?.length !== 6 || parts[2] !== 'sqs') return undefined
  const [, partition, , region, account, name] = parts
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://sqs.${region}.${domain}/${account}/${name}`
}

/** The try this receipt is: the message's own count plus SQS's redeliveries of it. */
export function attemptOf(record: SqsRecord, messageAttempt: number): number {
  const received = Number(record.attributes?.ApproximateReceiveCount ?? '1')
  return messageAttempt + (Number.isFinite(received) && received > 1 ? received - 1 : 0)
}

/**
 * Space the next delivery of a record that is about to be reported failed: its visibility
 * timeout becomes the backoff, so SQS hands it back no sooner.
 */
export async function waitBeforeRetry(
  record: SqsRecord,
  seconds: number,
  log: Logger,
): Promise<void> {
  const queueUrl = queueUrlOfArn(record.eventSourceARN)
  if (queueUrl === undefined) return
  try {
    const { sdk, client } = await sqsSdk()
    await client.send(
      new sdk.ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, seconds),
      }),
    )
  } catch (error) {
    // The queue's own visibility timeout then spaces the retry: later or sooner, never lost.
    log.warn({ err: error, messageId: record.messageId }, 'retry backoff not set on SQS')
  }
}
