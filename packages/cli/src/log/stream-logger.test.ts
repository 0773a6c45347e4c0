import { ActionError } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { formatLogRecord } from './format-log-record.ts'
import { createStreamLogger } from './stream-logger.ts'

function sink(): { write(text: string): void; lines: string[] } {
  const lines: string[] = []
  return { write: (text) => lines.push(text), lines }
}

describe('createStreamLogger', () => {
  it('writes records at or above its level, with bindings and fields', () => {
    const out = sink()
    const log = createStreamLogger(out, 'info').child({ action: 'say_hello' })
    log.debug('hidden')
    log.info({ count: 2 }, 'counted')
    log.warn('plain message')
    expect(out.lines).toHaveLength(2)
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}counted action=say_hello count=2\n$/)
    expect(out.lines[1]).toMatch(/^\d\d:\d\d:\d\d WARN {2}plain message action=say_hello\n$/)
  })

  it('prints an error stack indented under its line', () => {
    const out = sink()
    createStreamLogger(out, 'error').error(new Error('boom'), 'failed')
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d ERROR failed\n {4}Error: boom\n {8}at /)
  })

  it('prints a coded error as its code and message, and the stack of what it wraps', () => {
    const out = sink()
    const log = createStreamLogger(out, 'error')
    log.error({ err: new ActionError('BAD_REQUEST', 'host refused') }, 'webhook refused')
    log.error(
      { err: new ActionError('INTERNAL', undefined, { cause: new TypeError('bad') }) },
      'handler threw',
    )
    expect(out.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d ERROR webhook refused\n {4}BAD_REQUEST: host refused\n$/,
    )
    expect(out.lines[1]).toMatch(
      /^\d\d:\d\d:\d\d ERROR handler threw\n {4}INTERNAL: .+\n {4}caused by TypeError: bad\n {8}at /,
    )
  })

  it('writes nothing when silent', () => {
    const out = sink()
    createStreamLogger(out, 'silent').error('x')
    expect(out.lines).toEqual([])
  })
})

describe('formatLogRecord', () => {
  it('summarises pino request records and drops pid and hostname', () => {
    const line = formatLogRecord({
      level: 30,
      time: Date.UTC(2026, 0, 1, 12, 0, 0),
      pid: 1,
      hostname: 'vm',
      reqId: 'r1',
      req: { method: 'GET', url: '/actions/say-hello' },
      res: { statusCode: 200 },
      responseTime: 1.25,
      msg: 'request completed',
    })
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}request completed GET \/actions\/say-hello → 200 \(1\.3 ms\) reqId=r1\n$/,
    )
  })

  it('prints a serialized error stack', () => {
    const line = formatLogRecord({
      level: 50,
      msg: 'oops',
      err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f' },
    })
    expect(line).toMatch(/ERROR oops\n {4}Error: x\n {8}at f\n$/)
  })
})
