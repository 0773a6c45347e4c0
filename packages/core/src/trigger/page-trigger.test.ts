import { describe, expect, it } from 'vitest'
import { isDefinitionError } from '../errors/definition-error.ts'
import { isPageTrigger, page, PAGE, pagePathOf, pageTemplateOf } from './page-trigger.ts'
import { WEB_GET } from './web-trigger.ts'

describe('page()', () => {
  it('defaults to /<kebab-name> and <name>.njk', () => {
    expect(PAGE).toEqual({ kind: 'page' })
    expect(pagePathOf('current-time-page', PAGE)).toBe('/current-time-page')
    expect(pageTemplateOf('current_time_page', PAGE)).toBe('current_time_page.njk')
  })

  it('takes a custom path and template', () => {
    const trigger = page({ path: '/clock/:zone', template: 'pages/clock.njk' })
    expect(pagePathOf('x', trigger)).toBe('/clock/:zone')
    expect(pageTemplateOf('x', trigger)).toBe('pages/clock.njk')
    expect(isPageTrigger(trigger)).toBe(true)
    expect(isPageTrigger(WEB_GET)).toBe(false)
  })

  it('refuses a malformed path with a coded error', () => {
    let thrown: unknown
    try {
      page({ path: 'no-slash' })
    } catch (error) {
      thrown = error
    }
    expect(isDefinitionError(thrown)).toBe(true)
    expect((thrown as { code: string }).code).toBe('SERVEY_ERR_TRIGGER_PATH_INVALID')
  })
})
