import { parseSse, type SseOutcome } from './sse-send.ts'
import { judgeHttp, SERVER_FAULT_CODES, STACK_FRAME, type Fault } from './verdict.ts'

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

/**
 * The goals for one SSE request. A refusal is an HTTP answer like any other (no 5xx, a coded
 * problem, no stack). A stream opens with the server's comment, and every event in it is an
 * envelope whose `id:` is its id, or a `resume_gap`; the server never ends it on its own. An
 * `event: error` after the 200 is a fault whatever its code: a browser's EventSource takes a
 * 200 whose stream ends as a dropped connection and reconnects with the same request forever,
 * while a refusal before the stream (a 4xx) stops it; so every refusal of bad input must come
 * before the stream starts, as docs/reference/channels.md says.
 */
export function judgeSse(outcome: SseOutcome): Fault {
  if (outcome.kind === 'unsendable' || outcome.kind === 'dropped') return undefined
  if (outcome.kind === 'network') return `network: ${outcome.error}`
  if (!outcome.stream) {
    if (outcome.status === 200) return 'a 200 that is not an event stream'
    return judgeHttp({ status: outcome.status, headers: outcome.headers, body: outcome.body })
  }
  if (STACK_FRAME.test(outcome.body)) return 'stack trace in the stream'
  if (outcome.body !== '' && !outcome.body.startsWith(': servey channel\n\n')) {
    return `a stream that does not open with the server's comment: ${outcome.body.slice(0, 60)}`
  }
  for (const event of parseSse(outcome.body)) {
    if (event.comment) continue
    const data = parse(event.data)
    if (data === undefined)
      return `an event whose data is not a JSON object: ${event.data.slice(0, 80)}`
    if (event.event === 'error') {
      const code = data['code']
      if (typeof code !== 'string') return 'an error event without a code'
      if (SERVER_FAULT_CODES.has(code)) return `error event with code ${code}`
      return `refused with ${code} after a 200 (EventSource would retry it forever)`
    }
    if (event.event === 'resume_gap') {
      if (data['type'] !== 'resume_gap') return 'a resume_gap event of another type'
      continue
    }
    if (event.event !== undefined) return `an event named ${event.event.slice(0, 40)}`
    if (typeof data['channel'] !== 'string' || typeof data['id'] !== 'string')
      return `an event that is not an envelope: ${event.data.slice(0, 80)}`
    if (event.id !== data['id']) return `an event whose id line is not its id`
  }
  if (outcome.ended) return 'the server ended a stream'
  return undefined
}
