import { describe, expect, it } from 'vitest'
import { silentLogger } from '../log/logger.ts'
import { DIRECT } from '../trigger/trigger.ts'
import { InvocationContext } from './invocation-context.ts'

const make = (requestId?: string): InvocationContext =>
  new InvocationContext('say_hello', null, silentLogger, DIRECT, requestId)

describe('InvocationContext', () => {
  it('keeps a given request id and generates one, once, otherwise', () => {
    expect(make('req-1').requestId).toBe('req-1')
    const context = make()
    expect(context.requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
    expect(context.requestId).toBe(context.requestId)
  })

  it('aborts a signal that was read before the abort', () => {
    const context = make()
    const signal = context.signal
    expect(signal.aborted).toBe(false)
    context.abort('timeout')
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('timeout')
  })

  it('hands out an already aborted signal when it is first read after the abort', () => {
    const context = make()
    context.abort('cancelled')
    expect(context.signal.aborted).toBe(true)
    expect(context.signal.reason).toBe('cancelled')
  })

  it('keeps the first abort reason', () => {
    const context = make()
    context.abort('first')
    context.abort('second')
    expect(context.signal.reason).toBe('first')
  })

  it('returns the same signal on every read', () => {
    const context = make()
    expect(context.signal).toBe(context.signal)
  })
})
