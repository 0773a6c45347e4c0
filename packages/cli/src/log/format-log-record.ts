import { isActionError } from '@servey/core'
import { LOG_LEVELS } from './log-level.ts'

/** A log record as pino writes it (`level` as a number), or as the stream logger builds it. */
export type LogRecord = Record<string, unknown>

const LABELS = new Map<number, string>(
  Object.entries(LOG_LEVELS)
    .filter(([, value]) => Number.isFinite(value))
    .map(([name, value]) => [value, name.toUpperCase()]),
)

// pino's bookkeeping fields: a terminal reader knows the process and host already.
const HIDDEN = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'v',
  'err',
  'req',
  'res',
  'responseTime',
])

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date()
  return date.toTimeString().slice(0, 8)
}

function errorText(err: unknown): string | undefined {
  // A coded error (a refused webhook address, a job's INVALID_PARAMS) says what happened in
  // its code and message; its own stack shows only Servey's frames. What it wraps, such as an
  // app's exception, keeps its stack.
  if (isActionError(err)) {
    const line = `${err.code}: ${err.message}`
    const cause = err.cause === undefined ? undefined : errorText(err.cause)
    return cause === undefined ? line : `${line}\ncaused by ${cause}`
  }
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`
  if (typeof err === 'object' && err !== null) {
    const { stack, message } = err as { stack?: unknown; message?: unknown }
    if (typeof stack === 'string') return stack
    if (typeof message === 'string') return message
  }
  return undefined
}

/** `GET /actions/say-hello → 200 (1.3 ms)` from a pino request record; empty for others. */
export function requestSummary(record: LogRecord): string {
  const parts: string[] = []
  const req = record['req'] as { method?: unknown; url?: unknown } | undefined
  if (req !== undefined && typeof req.method === 'string')
    parts.push(`${req.method} ${String(req.url)}`)
  const res = record['res'] as { statusCode?: unknown } | undefined
  if (res !== undefined && typeof res.statusCode === 'number') parts.push(`→ ${res.statusCode}`)
  const took = record['responseTime']
  if (typeof took === 'number') parts.push(`(${took.toFixed(1)} ms)`)
  return parts.join(' ')
}

/**
 * One human line per record (plus an indented stack for errors): `12:01:02 INFO  request
 * completed GET /actions/say-hello → 200 (1.3 ms) reqId=…`. For terminals only; files get JSON.
 */
export function formatLogRecord(record: LogRecord): string {
  const level = typeof record['level'] === 'number' ? record['level'] : LOG_LEVELS.info
  const label = (LABELS.get(level) ?? String(level)).padEnd(5)
  const parts = [clock(record['time']), label]
  if (typeof record['msg'] === 'string' && record['msg'] !== '') parts.push(record['msg'])
  const summary = requestSummary(record)
  if (summary !== '') parts.push(summary)
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  const stack = errorText(record['err'])
  const line = parts.join(' ')
  return stack === undefined ? `${line}\n` : `${line}\n${stack.replace(/^/gm, '    ')}\n`
}
