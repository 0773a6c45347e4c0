import {
  ActionError,
  systemAuthorization,
  type Authorization,
  type JobRequest,
  type Problem,
} from '@servey/core/adapter'

/**
 * A job as an SQS message body. The queue is trusted like BullMQ's Redis: only the app's own
 * functions may send to it (`sqs:SendMessage` in the generated IAM role), so the verified
 * caller travels as data, not as a token that could expire while the job waits. The system
 * caller of a channel handler travels as its scopes alone.
 */
/** One job: the first of a chain as a message, or a later link stored inside it. */
export interface JobMessageRequest {
  readonly action: string
  readonly params: unknown
  readonly authorization: EncodedAuthorization | null
  readonly requestId?: string
  readonly attempts?: number
  readonly backoffMs?: number
  readonly delayMs?: number
  /** Sent when this job has finished, whatever its outcome (channel handler groups). */
  readonly next?: JobMessageRequest
}

export interface JobMessage extends Omit<JobMessageRequest, 'delayMs'> {
  readonly servey: 'job'
  readonly v: 1
  readonly id: string
  /** The try this message starts at: 1 when enqueued. */
  readonly attempt: number
  /** Epoch ms before which the job must not run: delays longer than SQS's 900 s hop along. */
  readonly notBefore?: number
  /** On a message in the dead-letter queue: why the job ended there. */
  readonly failure?: Problem
}

export type EncodedAuthorization =
  | { readonly kind: 'system'; readonly scopes: readonly string[] }
  | {
      readonly kind: 'caller'
      readonly subject: string | null
      readonly scopes: readonly string[]
      readonly claims: Readonly<Record<string, unknown>>
      readonly notBefore?: string
      readonly expiresAt?: string
    }

const isSystem = (authorization: Authorization): boolean =>
  authorization.subject === null && authorization.claims['servey'] === 'system'

export function encodeAuthorization(
  authorization: Authorization | null,
): EncodedAuthorization | null {
  if (authorization === null) return null
  if (isSystem(authorization)) return { kind: 'system', scopes: [...authorization.scopes] }
  return {
    kind: 'caller',
    subject: authorization.subject,
    scopes: [...authorization.scopes],
    claims: authorization.claims,
    ...(authorization.notBefore === undefined
      ? {}
      : { notBefore: authorization.notBefore.toISOString() }),
    ...(authorization.expiresAt === undefined
      ? {}
      : { expiresAt: authorization.expiresAt.toISOString() }),
  }
}

export function encodeRequest(request: JobRequest): JobMessageRequest {
  if (request.callback !== undefined) {
    // Delivering a callback is an HTTP concern of @servey/scheduler, which a Lambda bundle
    // does not carry; refusing beats accepting a callback that is never called.
    throw new ActionError(
      'ASYNC_NOT_SUPPORTED',
      'Jobs on SQS do not deliver callbacks: leave out the callback headers, or publish an event from the action',
    )
  }
  return {
    action: request.action,
    params: request.params,
    authorization: encodeAuthorization(request.authorization),
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
    ...(request.attempts === undefined ? {} : { attempts: request.attempts }),
    ...(request.backoffMs === undefined ? {} : { backoffMs: request.backoffMs }),
    ...(request.next === undefined ? {} : { next: encodeRequest(request.next) }),
    ...(request.delayMs === undefined ? {} : { delayMs: request.delayMs }),
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isScopes = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((scope) => typeof scope === 'string')

const malformed = (why: string): ActionError =>
  new ActionError('BAD_REQUEST', `Not a Servey job message: ${why}`, { retryable: false })

function decodeAuthorization(value: unknown): EncodedAuthorization | null {
  if (value === null || value === undefined) return null
  if (!isObject(value) || !isScopes(value['scopes'])) throw malformed('bad authorization')
  if (value['kind'] === 'system') return { kind: 'system', scopes: value['scopes'] }
  if (
    value['kind'] !== 'caller' ||
    !(value['subject'] === null || typeof value['subject'] === 'string') ||
    !isObject(value['claims'])
  ) {
    throw malformed('bad authorization')
  }
  return value as EncodedAuthorization
}

const optionalNumber = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw malformed(`${name} must be a non-negative number`)
  }
  return value
}

function decodeRequest(value: unknown): JobMessageRequest {
  if (!isObject(value)) throw malformed('not an object')
  if (typeof value['action'] !== 'string' || value['action'] === '') {
    throw malformed('no action')
  }
  if (value['requestId'] !== undefined && typeof value['requestId'] !== 'string') {
    throw malformed('requestId must be a string')
  }
  const attempts = optionalNumber(value['attempts'], 'attempts')
  const backoffMs = optionalNumber(value['backoffMs'], 'backoffMs')
  const delayMs = optionalNumber(value['delayMs'], 'delayMs')
  return {
    action: value['action'],
    params: value['params'] ?? {},
    authorization: decodeAuthorization(value['authorization']),
    ...(typeof value['requestId'] === 'string' ? { requestId: value['requestId'] } : {}),
    ...(attempts === undefined ? {} : { attempts }),
    ...(backoffMs === undefined ? {} : { backoffMs }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(value['next'] === undefined ? {} : { next: decodeRequest(value['next']) }),
  }
}

/** A record's body as JSON; a body that is not JSON is a BAD_REQUEST. */
export function parseMessageBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw malformed('the body is not JSON')
  }
}

/** Read a record's body; a body that is not a job message is a BAD_REQUEST. */
export function decodeJobMessage(body: string): JobMessage {
  return jobMessageOf(parseMessageBody(body))
}

/** A parsed body as a job message; anything else is a BAD_REQUEST. */
export function jobMessageOf(parsed: unknown): JobMessage {
  if (!isObject(parsed) || parsed['servey'] !== 'job') throw malformed('no "servey": "job" mark')
  if (parsed['v'] !== 1) throw malformed(`unknown version ${JSON.stringify(parsed['v'])}`)
  if (typeof parsed['id'] !== 'string' || parsed['id'] === '') throw malformed('no id')
  const attempt = optionalNumber(parsed['attempt'], 'attempt') ?? 1
  const notBefore = optionalNumber(parsed['notBefore'], 'notBefore')
  const { delayMs: _delayMs, ...request } = decodeRequest(parsed)
  return {
    servey: 'job',
    v: 1,
    id: parsed['id'],
    attempt: Math.max(1, Math.floor(attempt)),
    ...(notBefore === undefined ? {} : { notBefore }),
    ...request,
  }
}

/** The verified caller again, as core's pipeline takes it. */
export function authorizationOf(encoded: EncodedAuthorization | null): Authorization | null {
  if (encoded === null) return null
  if (encoded.kind === 'system') return systemAuthorization(encoded.scopes)
  return Object.freeze({
    subject: encoded.subject,
    scopes: Object.freeze([...encoded.scopes]),
    claims: encoded.claims,
    ...(encoded.notBefore === undefined ? {} : { notBefore: new Date(encoded.notBefore) }),
    ...(encoded.expiresAt === undefined ? {} : { expiresAt: new Date(encoded.expiresAt) }),
  })
}
