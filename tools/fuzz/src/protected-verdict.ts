import { authTokensOf, type Credential, type ProtectedCase } from './protected-cases.ts'
import type { SseOutcome } from './sse-send.ts'
import { parseSse } from './sse-send.ts'
import { judgeSse } from './sse-verdict.ts'
import type { Fault } from './verdict.ts'
import type { WsOutcome } from './websocket-send.ts'
import { judgeWebsocket } from './websocket-verdict.ts'

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The goals of the websocket trigger, and the channel's access rule across the whole session:
 * no `subscribed` to the channel and no event of it while the caller may not read it (as the
 * credential at the upgrade, then each `authenticated` answer, say); and a caller who may
 * read it is subscribed.
 */
export function judgeProtectedWs(
  item: ProtectedCase,
  outcome: WsOutcome,
  channel: string,
  credentials: readonly Credential[],
): Fault {
  const ws = item.ws
  if (ws === undefined) return 'no websocket session'
  const fault = judgeWebsocket(ws, outcome)
  if (fault !== undefined) return fault
  if (outcome.refused !== undefined || outcome.noSubprotocol === true) {
    return item.credential.authorized && outcome.refused !== undefined
      ? `a caller who may read ${channel} was refused the upgrade with ${outcome.refused.status}`
      : undefined
  }
  const byToken = new Map(credentials.flatMap((c) => (c.token === undefined ? [] : [[c.token, c]])))
  const pending = authTokensOf(ws.steps)
  let allowed = item.credential.authorized && item.via !== 'auth-frame'
  let subscribed = false
  for (const text of outcome.frames) {
    const frame = parse(text)
    if (frame === undefined) continue
    if (frame['type'] === 'authenticated') {
      const token = pending.shift()
      allowed = token !== undefined && byToken.get(token)?.authorized === true
    } else if (frame['type'] === 'subscribed' && frame['channel'] === channel) {
      if (!allowed) return `subscribed to ${channel} by a caller who may not read it`
      subscribed = true
    } else if (frame['type'] === undefined && frame['channel'] === channel && !allowed) {
      return `an event of ${channel} reached a caller who may not read it`
    }
  }
  if (item.credential.authorized && !subscribed) {
    return `a caller who may read ${channel} was not subscribed: ${outcome.frames.slice(0, 3).join(' ').slice(0, 200)}`
  }
  return undefined
}

/** The goals of the SSE trigger, and: no stream of the channel for a caller who may not read it. */
export function judgeProtectedSse(
  item: ProtectedCase,
  outcome: SseOutcome,
  channel: string,
): Fault {
  const fault = judgeSse(outcome)
  if (fault !== undefined) return fault
  if (outcome.kind !== 'answer' || !outcome.stream || item.credential.authorized) return undefined
  const leaked = parseSse(outcome.body).some((event) => !event.comment && event.event === undefined)
  return `a stream of ${channel} for a caller who may not read it${leaked ? ', with events' : ''}`
}
