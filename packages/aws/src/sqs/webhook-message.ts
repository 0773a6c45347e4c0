import { randomUUID } from 'node:crypto'
import { ActionError, type Problem } from '@servey/core/adapter'
import type { WebhookDelivery } from '@servey/core'

/**
 * A webhook handler's delivery as an SQS message body, on the same queue as the jobs: the
 * publishing function sends it, and the queue's consumer makes one attempt per receipt, so SQS
 * does the waiting between retries. It carries what the delivery needs and nothing secret: the
 * signing key stays in the consumer's environment.
 */
export interface WebhookMessage {
  readonly servey: 'webhook'
  readonly v: 1
  readonly id: string
  /** The try this message starts at: 1 when sent. */
  readonly attempt: number
  readonly delivery: WebhookDelivery
  /** On a message in the dead-letter queue: why the delivery ended there. */
  readonly failure?: Problem
}

export function webhookMessageOf(delivery: WebhookDelivery): WebhookMessage {
  return { servey: 'webhook', v: 1, id: randomUUID(), attempt: 1, delivery }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const malformed = (why: string): ActionError =>
  new ActionError('BAD_REQUEST', `Not a Servey webhook message: ${why}`, { retryable: false })

const optionalCount = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw malformed(`${name} must be a non-negative number`)
  }
  return value
}

function decodeDelivery(value: unknown): WebhookDelivery {
  if (!isObject(value)) throw malformed('no delivery')
  const { url, headers, envelope } = value
  if (typeof url !== 'string' || url === '') throw malformed('no url')
  if (
    headers !== undefined &&
    (!isObject(headers) || Object.values(headers).some((header) => typeof header !== 'string'))
  ) {
    throw malformed('headers must be strings')
  }
  if (
    !isObject(envelope) ||
    typeof envelope['channel'] !== 'string' ||
    typeof envelope['id'] !== 'string' ||
    !Object.hasOwn(envelope, 'event')
  ) {
    throw malformed('no envelope')
  }
  const timeoutMs = optionalCount(value['timeoutMs'], 'timeoutMs')
  const attempts = optionalCount(value['attempts'], 'attempts')
  const backoffMs = optionalCount(value['backoffMs'], 'backoffMs')
  return {
    url,
    headers: (headers ?? {}) as Record<string, string>,
    envelope: {
      channel: envelope['channel'],
      id: envelope['id'],
      event: envelope['event'],
      ...(typeof envelope['to'] === 'string' ? { to: envelope['to'] } : {}),
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(attempts === undefined ? {} : { attempts }),
    ...(backoffMs === undefined ? {} : { backoffMs }),
  }
}

/** A parsed body marked `"servey": "webhook"`; anything else about it is a BAD_REQUEST. */
export function decodeWebhookMessage(parsed: Record<string, unknown>): WebhookMessage {
  if (parsed['v'] !== 1) throw malformed(`unknown version ${JSON.stringify(parsed['v'])}`)
  if (typeof parsed['id'] !== 'string' || parsed['id'] === '') throw malformed('no id')
  const attempt = optionalCount(parsed['attempt'], 'attempt') ?? 1
  return {
    servey: 'webhook',
    v: 1,
    id: parsed['id'],
    attempt: Math.max(1, Math.floor(attempt)),
    delivery: decodeDelivery(parsed['delivery']),
  }
}
