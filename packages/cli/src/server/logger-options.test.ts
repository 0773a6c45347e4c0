import { describe, expect, it } from 'vitest'
import { serverLoggerOptions } from './logger-options.ts'

function terminal(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string[] } {
  const text: string[] = []
  return { write: (chunk) => text.push(chunk), isTTY, text }
}

const RECORD = JSON.stringify({ level: 30, time: Date.now(), pid: 1, hostname: 'h', msg: 'hi' })

describe('serverLoggerOptions', () => {
  it('is pretty (pino-pretty, coloured) by default for the dev server on a terminal', () => {
    const out = terminal(true)
    const options = serverLoggerOptions({}, '/app', out, 'dev')
    expect(options.stream).toBeDefined()
    options.stream?.write(`${RECORD}\n`)
    // eslint-disable-next-line no-control-regex -- the colour codes are the point
    expect(out.text.join('')).toMatch(/\u001b\[\d+m/)
    expect(out.text.join('')).toContain('hi')
    expect(out.text.join('')).not.toContain('hostname')
  })

  it('is JSON by default for dev output that is not a terminal, and for start', () => {
    expect(serverLoggerOptions({}, '/app', terminal(false), 'dev')).toEqual({ level: 'info' })
    expect(serverLoggerOptions({}, '/app', terminal(true), 'start')).toEqual({ level: 'info' })
  })

  it('follows LOG_FORMAT either way; pretty without a terminal has no colours', () => {
    expect(serverLoggerOptions({ LOG_FORMAT: 'json' }, '/app', terminal(true), 'dev')).toEqual({
      level: 'info',
    })
    const out = terminal(false)
    serverLoggerOptions({ LOG_FORMAT: 'Pretty' }, '/app', out, 'start').stream?.write(RECORD)
    expect(out.text.join('')).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: hi\n$/)
  })

  it('writes JSON lines to LOG_FILE whatever the format', () => {
    expect(
      serverLoggerOptions(
        { LOG_FILE: 'server.log', LOG_FORMAT: 'pretty' },
        '/app',
        terminal(true),
        'dev',
      ),
    ).toEqual({ level: 'info', file: '/app/server.log' })
  })

  it('refuses an unknown LOG_FORMAT with its code', () => {
    expect(() =>
      serverLoggerOptions({ LOG_FORMAT: 'yaml' }, '/app', terminal(false), 'dev'),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_CLI_LOG_FORMAT_INVALID' }))
  })
})
