/**
 * Event ids are `<milliseconds>-<sequence>`, the format of Redis Stream ids, so the in-process
 * history and the Redis one hand out ids a client can resume from alike. They are ordered
 * within a channel: compare them with `compareEventIds`, never as strings.
 */
const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/

export interface ParsedEventId {
  readonly ms: number
  readonly seq: number
}

export function parseEventId(id: string): ParsedEventId | undefined {
  const match = EVENT_ID.exec(id)
  if (match === null) return undefined
  const ms = Number(match[1])
  const seq = Number(match[2])
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(seq)) return undefined
  return { ms, seq }
}

export function isEventId(id: unknown): id is string {
  return typeof id === 'string' && parseEventId(id) !== undefined
}

/** Negative, zero or positive, like a sort comparator. Both ids must be valid. */
export function compareEventIds(a: string, b: string): number {
  const left = parseEventId(a)
  const right = parseEventId(b)
  if (left === undefined || right === undefined) throw new TypeError(`Invalid event id`)
  return compareParsedIds(left, right)
}

/** `compareEventIds` for ids parsed once: a fan-out compares one event's id per subscriber. */
export function compareParsedIds(left: ParsedEventId, right: ParsedEventId): number {
  return left.ms - right.ms || left.seq - right.seq
}

/** The next id after `last`, at `now` (never going back in time, whatever the clock does). */
export function nextEventId(last: string | undefined, now: number): string {
  const previous = last === undefined ? undefined : parseEventId(last)
  if (previous === undefined || now > previous.ms) return `${now}-0`
  return `${previous.ms}-${previous.seq + 1}`
}
