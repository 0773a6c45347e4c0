import { describe, expect, it } from 'vitest'
import { createDefinitionError, isDefinitionError } from './definition-error.ts'
import { definitionErrors } from './definition-errors.ts'

describe('createDefinitionError', () => {
  const WIDGET_BROKEN = createDefinitionError<[string, number]>(
    'SERVEY_ERR_WIDGET_BROKEN',
    "Widget '%s' broke after %d tries",
    RangeError,
  )

  it('makes a factory carrying its code', () => {
    expect(WIDGET_BROKEN.code).toBe('SERVEY_ERR_WIDGET_BROKEN')
  })

  it('fills the printf template with the call-site data', () => {
    const error = WIDGET_BROKEN('gear', 3)
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe("Widget 'gear' broke after 3 tries")
    expect(error.code).toBe('SERVEY_ERR_WIDGET_BROKEN')
    expect(error.name).toBe('RangeError [SERVEY_ERR_WIDGET_BROKEN]')
    expect(String(error)).toBe(
      "RangeError [SERVEY_ERR_WIDGET_BROKEN]: Widget 'gear' broke after 3 tries",
    )
  })

  it('defaults to Error', () => {
    const error = createDefinitionError('SERVEY_ERR_PLAIN', 'plain')()
    expect(error.constructor).toBe(Error)
  })
})

describe('isDefinitionError', () => {
  it('recognises errors made by any factory, and nothing else', () => {
    expect(isDefinitionError(definitionErrors.SERVEY_ERR_ACTION_HANDLER_MISSING())).toBe(true)
    expect(isDefinitionError(Object.assign(new Error('x'), { code: 'SERVEY_ERR_FAKE' }))).toBe(
      false,
    )
    expect(isDefinitionError(null)).toBe(false)
  })
})

describe('definitionErrors', () => {
  it('names every code SERVEY_ERR_<AREA>_<WHAT> after its key', () => {
    for (const [key, factory] of Object.entries(definitionErrors)) {
      expect(factory.code).toBe(key)
      expect(key).toMatch(/^SERVEY_ERR_[A-Z]+_[A-Z_]+$/)
    }
  })
})
