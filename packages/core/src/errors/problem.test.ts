import { describe, expect, it } from 'vitest'
import { ActionError, toActionError } from './action-error.ts'
import { problemType, toProblem } from './problem.ts'

describe('problemType', () => {
  it('is a stable URN per code', () => {
    expect(problemType('INVALID_PARAMS')).toBe('urn:servey:error:invalid-params')
    expect(problemType('OUT_OF_STOCK')).toBe('urn:servey:error:out-of-stock')
  })
})

describe('toProblem', () => {
  it('writes RFC 9457 fields for an exposed error', () => {
    const problem = toProblem(
      new ActionError('NOT_FOUND', 'No such order', { data: { orderId: 7 } }),
    )
    expect(problem).toEqual({
      type: 'urn:servey:error:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No such order',
      code: 'NOT_FOUND',
      data: { orderId: 7 },
    })
  })

  it('includes validation issues and the request id', () => {
    const issues = [
      { path: '/name', message: "must have required property 'name'", keyword: 'required' },
    ]
    const problem = toProblem(new ActionError('INVALID_PARAMS', 'Invalid params', { issues }), {
      requestId: 'req-1',
    })
    expect(problem).toMatchObject({
      status: 400,
      code: 'INVALID_PARAMS',
      requestId: 'req-1',
      issues,
    })
  })

  it('hides the message, data, issues and stack of a masked error', () => {
    const error = toActionError(new Error('password=hunter2'))
    const problem = toProblem(error, { requestId: 'req-2' })
    expect(problem).toEqual({
      type: 'urn:servey:error:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      code: 'INTERNAL',
      requestId: 'req-2',
    })
    const badResult = new ActionError('INVALID_RESULT', 'returned /secret must be string', {
      issues: [{ path: '/secret', message: 'must be string' }],
      data: { internal: true },
    })
    expect(JSON.stringify(toProblem(badResult))).not.toContain('secret')
  })

  it('shows masked messages and the stack of the original error in dev mode', () => {
    const cause = new Error('password=hunter2')
    const problem = toProblem(toActionError(cause), { dev: true })
    // What really went wrong, for the developer: the message of the cause.
    expect(problem.detail).toBe('password=hunter2')
    expect(problem.stack).toBe(cause.stack)

    const own = new ActionError('INVALID_RESULT', 'bad shape', {
      issues: [{ path: '/x', message: 'must be number' }],
    })
    expect(toProblem(own, { dev: true })).toMatchObject({
      detail: 'bad shape',
      issues: [{ path: '/x' }],
    })
    expect(toProblem(own, { dev: true }).stack).toBe(own.stack)
  })

  it('never includes a stack outside dev mode', () => {
    expect(toProblem(new ActionError('CONFLICT')).stack).toBeUndefined()
  })

  it('serializes to JSON without losing fields', () => {
    const problem = toProblem(new ActionError('TIMEOUT', 'Action slow timed out after 40 ms'), {
      requestId: 'r',
    })
    expect(JSON.parse(JSON.stringify(problem))).toEqual(problem)
  })
})
