import { afterEach, describe, expect, it, vi } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createRegistry } from '../registry/registry.ts'
import { createInvoker, defaultValidateResult } from './invoker.ts'

const liar = action({ name: 'liar', result: Type.Number() }, () => 'not a number' as never)

describe('createInvoker', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('exposes the registry it serves', () => {
    const registry = createRegistry({ liar })
    expect(createInvoker(registry).registry).toBe(registry)
  })

  it('checks results by default outside production', async () => {
    vi.stubEnv('NODE_ENV', 'test')
    expect(defaultValidateResult()).toBe(true)
    const outcome = await createInvoker(createRegistry({ liar })).invoke({ action: 'liar' })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_RESULT' } })
  })

  it('does not check results by default in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(defaultValidateResult()).toBe(false)
    const outcome = await createInvoker(createRegistry({ liar })).invoke({ action: 'liar' })
    expect(outcome).toEqual({ ok: true, result: 'not a number' })
  })

  it('lets the option override the environment', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const outcome = await createInvoker(createRegistry({ liar }), { validateResult: true }).invoke({
      action: 'liar',
    })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_RESULT' } })
  })

  it('answers UNKNOWN_ACTION, never throws, for a name it does not know', async () => {
    const outcome = await createInvoker(createRegistry({ liar })).invoke({ action: 'truth' })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION', status: 404 } })
  })

  it('validates plugins when it is created, not on the first call', () => {
    expect(() =>
      createInvoker(createRegistry({ liar }), {
        plugins: [{ name: 'x', onFinish: () => {} } as never],
      }),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_HOOK_UNKNOWN' }))
  })
})
