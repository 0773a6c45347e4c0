import { describe, expect, it } from 'vitest'
import { ActionError, isActionError, toActionError } from './action-error.ts'
import { ERROR_CODES } from './error-codes.ts'

describe('ActionError', () => {
  it('takes status, title, exposure and retryability from the code table', () => {
    const error = new ActionError('NOT_FOUND', 'No such order')
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'ActionError',
      code: 'NOT_FOUND',
      message: 'No such order',
      status: 404,
      title: 'Not Found',
      expose: true,
      retryable: false,
    })
  })

  it('uses the title as the message when none is given', () => {
    expect(new ActionError('TIMEOUT').message).toBe('Timeout')
  })

  it('accepts a custom code with its own status', () => {
    const error = new ActionError('OUT_OF_STOCK', 'Sold out', { status: 409 })
    expect(error).toMatchObject({
      code: 'OUT_OF_STOCK',
      status: 409,
      title: 'OUT_OF_STOCK',
      expose: true,
      retryable: false,
    })
  })

  it('treats a custom code without status as an unexposed, retryable 500', () => {
    expect(new ActionError('MYSTERY')).toMatchObject({
      status: 500,
      expose: false,
      retryable: true,
    })
  })

  it('lets options override the table', () => {
    const error = new ActionError('INTERNAL', 'Disk full', {
      expose: true,
      retryable: false,
      status: 507,
    })
    expect(error).toMatchObject({ status: 507, expose: true, retryable: false })
  })

  it('keeps cause, issues and data', () => {
    const cause = new Error('root cause')
    const issues = [{ path: '/name', message: 'must be string' }]
    const error = new ActionError('INVALID_PARAMS', 'Bad', { cause, issues, data: { hint: 1 } })
    expect(error.cause).toBe(cause)
    expect(error.issues).toBe(issues)
    expect(error.data).toEqual({ hint: 1 })
  })

  it('has no cause property at all when none is given', () => {
    expect(Object.hasOwn(new ActionError('CONFLICT'), 'cause')).toBe(false)
  })
})

describe('isActionError', () => {
  it('recognises an ActionError', () => {
    expect(isActionError(new ActionError('CONFLICT'))).toBe(true)
  })

  it('recognises one made by another copy of @servey/core, by its global brand', () => {
    // What a second install of the package produces: another class, the same Symbol.for brand.
    class ForeignActionError extends Error {
      readonly code = 'CONFLICT'
      constructor() {
        super('from another copy')
        Object.defineProperty(this, Symbol.for('@servey/core/ActionError'), { value: true })
      }
    }
    const foreign = new ForeignActionError()
    expect(foreign instanceof ActionError).toBe(false)
    expect(isActionError(foreign)).toBe(true)
    expect(toActionError(foreign)).toBe(foreign)
  })

  it.each([new Error('plain'), { code: 'CONFLICT', status: 409 }, null, 'CONFLICT'])(
    'rejects %j',
    (value) => {
      expect(isActionError(value)).toBe(false)
    },
  )
})

describe('toActionError', () => {
  it('returns an ActionError unchanged', () => {
    const error = new ActionError('FORBIDDEN')
    expect(toActionError(error)).toBe(error)
  })

  it('masks anything else as INTERNAL, keeping it as the cause', () => {
    const thrown = new TypeError('secret internals')
    const error = toActionError(thrown)
    expect(error).toMatchObject({
      code: 'INTERNAL',
      status: 500,
      expose: false,
      message: ERROR_CODES.INTERNAL.title,
    })
    expect(error.cause).toBe(thrown)
    expect(toActionError('a string').cause).toBe('a string')
  })
})
