import { ActionError, toProblem, type ClientOutcome } from '@servey/core'
import { describe, expect, test } from 'vitest'
import { assertExampleOutcome } from './assert-example-outcome.ts'

const label = 'greet › says_hello [rest]'
const succeeded = (result: unknown): ClientOutcome => ({ ok: true, result })
const failed = (error: ActionError): ClientOutcome => ({ ok: false, problem: toProblem(error) })

function failureOf(
  run: () => void,
): Error & { actual?: unknown; expected?: unknown; showDiff?: boolean } {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the assertion to fail')
}

describe('assertExampleOutcome', () => {
  test('accepts a deeply equal result', () => {
    const example = { name: 'says_hello', params: {}, result: { text: 'hi', tags: ['a'] } }
    expect(() =>
      assertExampleOutcome(succeeded({ text: 'hi', tags: ['a'] }), example, label),
    ).not.toThrow()
  })

  test('reports a different result with the label and both values for the diff', () => {
    const example = { name: 'says_hello', params: {}, result: { text: 'hi' } }
    const failure = failureOf(() =>
      assertExampleOutcome(succeeded({ text: 'hello' }), example, label),
    )
    expect(failure.message).toMatch(/^greet › says_hello \[rest\]: /)
    expect(failure).toMatchObject({
      actual: { text: 'hello' },
      expected: { text: 'hi' },
      showDiff: true,
    })
  })

  test('reports a failed call where a result was expected, with code, status, detail and issues', () => {
    const example = { name: 'says_hello', params: {}, result: 'hi' }
    const error = new ActionError('INVALID_PARAMS', 'Invalid params', {
      issues: [{ path: '/name', message: 'must be string' }],
    })
    expect(failureOf(() => assertExampleOutcome(failed(error), example, label)).message).toBe(
      "greet › says_hello [rest]: expected 'hi', but the call failed with INVALID_PARAMS (400): Invalid params [/name must be string]",
    )
  })

  test('accepts the expected error code and rejects another one', () => {
    const example = { name: 'missing', params: {}, error: 'NOT_FOUND' }
    expect(() =>
      assertExampleOutcome(failed(new ActionError('NOT_FOUND', 'gone')), example, label),
    ).not.toThrow()
    const failure = failureOf(() =>
      assertExampleOutcome(failed(new ActionError('FORBIDDEN', 'no')), example, label),
    )
    expect(failure.message).toContain(`${label}: FORBIDDEN (403): no`)
    expect(failure).toMatchObject({ actual: 'FORBIDDEN', expected: 'NOT_FOUND' })
  })

  test('never shows a masked internal message from the outcome', () => {
    const example = { name: 'missing', params: {}, error: 'NOT_FOUND' }
    const crash = new ActionError('INTERNAL', undefined, {
      cause: new Error('db password'),
      expose: false,
    })
    expect(
      failureOf(() => assertExampleOutcome(failed(crash), example, label)).message,
    ).not.toContain('db password')
  })

  test('an example without a result only requires success', () => {
    const example = { name: 'runs', params: {} }
    expect(() => assertExampleOutcome(succeeded(null), example, label)).not.toThrow()
    expect(
      failureOf(() => assertExampleOutcome(failed(new ActionError('CONFLICT')), example, label))
        .message,
    ).toBe(`${label}: expected success, but the call failed with CONFLICT (409): Conflict`)
  })

  test('rejects an example that declares both a result and an error', () => {
    const example = { name: 'confused', params: {}, result: 1, error: 'NOT_FOUND' }
    expect(failureOf(() => assertExampleOutcome(succeeded(1), example, label)).message).toBe(
      `${label}: the example declares both a result and an error; keep one`,
    )
  })
})
