import { ActionError, createDefinitionError } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { cliErrors } from './errors.ts'
import { formatError } from './report-error.ts'

describe('formatError', () => {
  it('prints coded errors as `CODE: message` with no stack', () => {
    const definition = createDefinitionError<[string]>(
      'SERVEY_ERR_TEST_THING',
      'Thing %s is wrong',
    )('x')
    expect(formatError(definition)).toBe('SERVEY_ERR_TEST_THING: Thing x is wrong')
    expect(
      formatError(new ActionError('INVALID_PARAMS', 'Invalid params: /a must be string')),
    ).toBe('INVALID_PARAMS: Invalid params: /a must be string')
  })

  it('names the cause of a masked error', () => {
    const masked = new ActionError('INTERNAL', undefined, {
      cause: new TypeError('x is undefined'),
      expose: false,
    })
    expect(formatError(masked)).toBe(
      'INTERNAL: Internal Server Error (caused by TypeError: x is undefined)',
    )
  })

  it("adds the app's frames of a load failure, without the reload query", () => {
    const cause = new Error('database unreachable')
    cause.stack = [
      'Error: database unreachable',
      '    at connect (/app/src/db.ts?servey-reload=3:4:9)',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
      '    at async loadApp (/cli/src/entry/load-app.ts:26:15)',
    ].join('\n')
    const error = cliErrors.SERVEY_ERR_CLI_ENTRY_LOAD_FAILED('/app/src/actions.ts', cause.message)
    error.cause = cause
    expect(formatError(error)).toBe(
      [
        'SERVEY_ERR_CLI_ENTRY_LOAD_FAILED: Could not load the actions module /app/src/actions.ts: database unreachable',
        'Error: database unreachable',
        '    at connect (/app/src/db.ts:4:9)',
      ].join('\n'),
    )
  })

  it('leaves out the stack of a syntax error or a missing import: the message has the place', () => {
    const syntax = Object.assign(
      new Error('Transform failed with 1 error:\n/app/a.ts:1:0: ERROR: x'),
      {
        name: 'TransformError',
      },
    )
    const missing = Object.assign(new Error("Cannot find module '/app/b.ts'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    })
    for (const cause of [syntax, missing]) {
      const error = cliErrors.SERVEY_ERR_CLI_ENTRY_LOAD_FAILED('/app/a.ts', cause.message)
      error.cause = cause
      expect(formatError(error)).not.toMatch(/\n\s+at /)
    }
  })

  it('prints the stack of anything unexpected', () => {
    expect(formatError(new RangeError('bug'))).toMatch(/^RangeError: bug\n\s+at /)
    expect(formatError('a string')).toBe('a string')
  })
})
