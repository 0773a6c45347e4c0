import type { LambdaOutcome } from './lambda-verdict.ts'
import { judgeLambda } from './lambda-verdict.ts'
import type { LambdaWsEvent } from './lambda-websocket-cases.ts'
import type { ManagementCall } from './lambda-websocket-trigger.ts'
import { SERVER_FAULT_CODES, STACK_FRAME, type Fault } from './verdict.ts'

/** Frames the function answers a message with (`$default`'s body goes back to the client). */
const ANSWERS = new Set(['error', 'subscribed', 'unsubscribed', 'authenticated'])
/** Frames it posts through the management API besides those: an envelope has no `type`. */
const POSTED = new Set(['error', 'resume_gap'])

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** A frame the function sent: a JSON object, a coded `error` never a server fault, no stack. */
export function judgeFrame(text: string, types: ReadonlySet<string>): Fault {
  if (STACK_FRAME.test(text)) return 'stack trace in a frame'
  const frame = parse(text)
  if (frame === undefined) return `a frame that is not a JSON object: ${text.slice(0, 80)}`
  const type = frame['type']
  if (type === undefined) {
    // An envelope: `{ channel, id, event }`.
    return typeof frame['channel'] === 'string' && typeof frame['id'] === 'string'
      ? undefined
      : `a frame of no known type: ${text.slice(0, 80)}`
  }
  if (typeof type !== 'string' || !types.has(type)) return `a frame of type ${String(type)}`
  if (type !== 'error') return undefined
  if (typeof frame['code'] !== 'string') return 'an error frame without a code'
  if (SERVER_FAULT_CODES.has(frame['code'])) return `error frame with code ${frame['code']}`
  return undefined
}

/** What a route answered, for the tally: the frame's type (an `error` frame's code), or none. */
export function answerKind(outcome: LambdaOutcome): string | undefined {
  if (outcome.kind !== 'returned' || !isObject(outcome.value)) return undefined
  const body = outcome.value['body']
  if (typeof body !== 'string') return undefined
  const frame = parse(body)
  if (frame === undefined) return 'not a frame'
  return frame['type'] === 'error' ? `error ${String(frame['code'])}` : String(frame['type'])
}

/**
 * The goals for one websocket event. One that is still a websocket event is answered, never
 * thrown (API Gateway would send the client a bare "Internal server error"), with a status
 * under 500 (`$connect`'s 4xx refuses the handshake) and, for a message, at most one frame
 * (see `judgeFrame`). One broken past that shape is an event of no known shape: a coded
 * invocation error under 500, as the Lambda trigger judges it.
 */
export function judgeLambdaWsEvent(item: LambdaWsEvent, outcome: LambdaOutcome): Fault {
  if (!item.websocket) {
    return judgeLambda(
      { trigger: 'lambda', label: item.label, kind: 'other', target: 'router', event: item.event },
      outcome,
    )
  }
  if (outcome.kind === 'timeout') return `no result within ${outcome.ms} ms`
  if (outcome.kind === 'threw') {
    return `threw on a websocket event: ${String((outcome.error as Error | null)?.message ?? outcome.error).slice(0, 160)}`
  }
  const result = outcome.value
  if (!isObject(result)) return 'returned no route result'
  const { statusCode, headers, body } = result
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode))
    return 'a statusCode that is not an integer'
  if (statusCode >= 500) return `status ${statusCode}`
  if (statusCode < 200) return `status ${statusCode}`
  if (
    headers !== undefined &&
    (!isObject(headers) || !Object.values(headers).every((v) => typeof v === 'string'))
  ) {
    return 'headers that are not strings'
  }
  if (body === undefined) return undefined
  if (typeof body !== 'string') return 'a body that is not a string'
  if (item.route === '$connect' || item.route === '$disconnect') {
    return STACK_FRAME.test(body) ? 'stack trace in the body' : undefined
  }
  return judgeFrame(body, ANSWERS)
}

/** A call the function made to the management API: a post must be a frame it may send. */
export function judgeManagementCall(call: ManagementCall): Fault {
  if (call.method === 'DELETE') return undefined
  return judgeFrame(call.data, POSTED)
}

/**
 * Whether a message was refused because the function no longer knew a connection it had
 * accepted: a fault when the session neither disconnected nor had a token refused in between.
 */
export function forgotten(outcome: LambdaOutcome): boolean {
  if (outcome.kind !== 'returned' || !isObject(outcome.value)) return false
  const body = outcome.value['body']
  const frame = typeof body === 'string' ? parse(body) : undefined
  return (
    frame?.['code'] === 'UNAUTHENTICATED' &&
    typeof frame['detail'] === 'string' &&
    /no longer known/.test(frame['detail'])
  )
}
