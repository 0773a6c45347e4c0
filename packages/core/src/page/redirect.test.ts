import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { isRedirect, redirect } from './redirect.ts'

describe('redirect()', () => {
  it('is a branded value, 302 unless told', () => {
    expect(redirect('/login')).toMatchObject({ location: '/login', status: 302 })
    expect(redirect('/done', 303).status).toBe(303)
    expect(isRedirect(redirect('/'))).toBe(true)
    expect(isRedirect({ location: '/', status: 302 })).toBe(false)
  })

  it('refuses a status that is not a redirect', () => {
    expect(() => redirect('/', 200 as never)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_PAGE_REDIRECT_INVALID' }),
    )
  })

  it('passes the result check whatever the result schema says', async () => {
    const registry = createRegistry({
      goes: action({ result: Type.String() }, () => redirect('/there') as never),
    })
    const outcome = await createInvoker(registry, { validateResult: true }).invoke({
      action: 'goes',
    })
    expect(outcome.ok).toBe(true)
  })
})
