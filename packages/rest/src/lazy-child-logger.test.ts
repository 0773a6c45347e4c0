import { action, createInvoker, createRegistry, Type, WEB_POST } from '@servey/core'
import type { FastifyBaseLogger } from 'fastify'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createServer } from './create-server.ts'
import { lazyChildLoggerFactory, logsRequests } from './lazy-child-logger.ts'

function recordingPino(level: string) {
  const lines: Array<Record<string, unknown>> = []
  const parent = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) })
  let children = 0
  const child = parent.child.bind(parent)
  parent.child = ((...args: Parameters<typeof child>) => {
    children++
    return child(...args)
  }) as typeof parent.child
  return { parent, lines, children: () => children }
}

function lazyChild(parent: FastifyBaseLogger, options: object = {}): FastifyBaseLogger {
  return lazyChildLoggerFactory.call(
    undefined as never,
    parent,
    { reqId: 'r-1' },
    options,
    undefined as never,
  )
}

describe('lazyChildLoggerFactory', () => {
  it('makes the child only for a line that is written, once, with the bindings', () => {
    const { parent, lines, children } = recordingPino('warn')
    const log = lazyChild(parent)
    log.info({ req: 1 }, 'incoming request')
    log.debug('not written')
    expect([children(), lines.length, log.level]).toEqual([0, 0, 'warn'])
    log.warn({ code: 'X' }, 'first %s', 'line')
    log.error('second')
    expect(children()).toBe(1)
    expect(lines.map(({ reqId, code, msg, level }) => ({ reqId, code, msg, level }))).toEqual([
      { reqId: 'r-1', code: 'X', msg: 'first line', level: 40 },
      { reqId: 'r-1', code: undefined, msg: 'second', level: 50 },
    ])
  })

  it('follows a level set on it or on the parent', () => {
    const { parent, lines } = recordingPino('warn')
    const log = lazyChild(parent)
    parent.level = 'info'
    log.info('now on')
    const other = lazyChild(parent)
    other.level = 'error'
    other.warn('off for this request only')
    log.warn('still on here')
    expect(lines.map((line) => line['msg'])).toEqual(['now on', 'still on here'])
  })

  it('makes the child at once for a route with its own level', () => {
    const { parent, children } = recordingPino('warn')
    lazyChild(parent, { level: 'debug' }).debug('written')
    expect(children()).toBe(1)
  })

  it('tells which levels write the request lines', () => {
    expect(
      ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(logsRequests),
    ).toEqual([true, true, true, false, false, false, false])
  })
})

describe('a server with request logs off', () => {
  let close: (() => Promise<unknown>) | undefined
  afterEach(() => close?.())

  it('writes an action’s own lines and its failures with the request id', async () => {
    const lines: Array<Record<string, unknown>> = []
    const registry = createRegistry({
      noisy: action(
        { triggers: [WEB_POST], params: Type.Object({ fail: Type.Boolean() }) },
        ({ fail }, { log }) => {
          log.warn({ fail }, 'handler line')
          if (fail) throw new Error('boom')
          return 'ok'
        },
      ),
    })
    const app = await createServer({
      invoker: createInvoker(registry, { log: pino({ level: 'silent' }) }),
      logger: { level: 'warn', stream: { write: (line) => lines.push(JSON.parse(line)) } },
    })
    close = () => app.close()
    const ok = await app.inject({ method: 'POST', url: '/actions/noisy', payload: { fail: false } })
    const failed = await app.inject({
      method: 'POST',
      url: '/actions/noisy',
      payload: { fail: true },
    })
    expect([ok.statusCode, failed.statusCode]).toEqual([200, 500])
    expect(lines.map(({ reqId, msg, level }) => ({ reqId, msg, level }))).toEqual([
      { reqId: ok.headers['x-request-id'], msg: 'handler line', level: 40 },
      { reqId: failed.headers['x-request-id'], msg: 'handler line', level: 40 },
      { reqId: failed.headers['x-request-id'], msg: 'Internal Server Error', level: 50 },
    ])
  })
})
