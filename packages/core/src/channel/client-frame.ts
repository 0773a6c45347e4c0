import { ActionError } from '../errors/action-error.ts'
import { isEventId } from './event-id.ts'

/** What a client may send on a channels websocket. */
export type ClientFrame =
  | { readonly type: 'auth'; readonly token: string }
  | { readonly type: 'subscribe'; readonly channel: string; readonly since?: string }
  | { readonly type: 'unsubscribe'; readonly channel: string }

const TYPES = ['auth', 'subscribe', 'unsubscribe']

/**
 * The client's `type` in an error message, never written out whole: JSON.stringify of a
 * 20,000-level array (a frame well under the size limit) overflows the stack, which made the
 * refusal an INTERNAL error (found by the fuzz harness).
 */
function describe(type: unknown): string {
  if (typeof type === 'string') return JSON.stringify(type.slice(0, 50))
  if (type === undefined) return 'undefined'
  if (Array.isArray(type)) return 'an array'
  return typeof type === 'object'
    ? type === null
      ? 'null'
      : 'an object'
    : String(type).slice(0, 50)
}

/** Parse one text frame; throws a coded ActionError (MALFORMED_JSON, BAD_REQUEST) otherwise. */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ActionError('MALFORMED_JSON', 'A frame must be a JSON object')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ActionError('BAD_REQUEST', 'A frame must be a JSON object with a type')
  }
  const frame = value as Record<string, unknown>
  const type = frame['type']
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    throw new ActionError(
      'BAD_REQUEST',
      `Unknown frame type ${describe(type)}: use ${TYPES.join(', ')}`,
    )
  }
  if (type === 'auth') {
    const token = frame['token']
    if (typeof token !== 'string' || token === '') {
      throw new ActionError('BAD_REQUEST', 'An auth frame needs a token string')
    }
    return { type, token }
  }
  const channel = frame['channel']
  if (typeof channel !== 'string' || channel === '') {
    throw new ActionError('BAD_REQUEST', `A ${type} frame needs a channel name`)
  }
  if (type === 'unsubscribe') return { type: 'unsubscribe', channel }
  const since = frame['since']
  if (since !== undefined && since !== null && !isEventId(since)) {
    throw new ActionError('BAD_REQUEST', "'since' must be an event id such as 1733400000000-0")
  }
  return since === undefined || since === null
    ? { type: 'subscribe', channel }
    : { type: 'subscribe', channel, since }
}
