import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { Type } from 'typebox'
import { createRegistry } from '../registry/registry.ts'
import { createInvoker } from './invoker.ts'
import { anyScope, custom } from '../security/access-policy.ts'

describe('invoker.admit', () => {
  let calls = 0
  const guarded = action(
    { params: Type.Object({ n: Type.Number() }), access: anyScope('jobs') },
    function guarded({ n }) {
      calls++
      return n
    },
  )
  const odd_only = action(
    {
      params: Type.Object({ n: Type.Number() }),
      access: custom<{ n: number }>((_auth, params) => params.n % 2 === 1, 'odd n'),
    },
    function odd_only({ n }) {
      calls++
      return n
    },
  )
  const invoker = createInvoker(createRegistry({ guarded, odd_only }))
  const caller = { subject: 'alice', scopes: ['jobs'], claims: {} }

  it('admits a valid call with its caller and coerced params, without running it', async () => {
    const outcome = await invoker.admit({
      action: 'guarded',
      input: { n: '3' },
      inputSource: 'strings',
      authorization: caller,
    })
    expect(outcome).toEqual({ ok: true, authorization: caller, params: { n: 3 } })
    expect(calls).toBe(0)
  })

  it('refuses what the pipeline would refuse', async () => {
    expect(await invoker.admit({ action: 'guarded', input: { n: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
    expect(
      await invoker.admit({
        action: 'guarded',
        input: { n: 1 },
        authorization: { ...caller, scopes: [] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(
      await invoker.admit({ action: 'guarded', input: { n: 'x' }, authorization: caller }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(
      await invoker.admit({ action: 'guarded', input: {}, authorizationHeader: 'Bearer abc' }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(
      await invoker.admit({ action: 'odd_only', input: { n: 2 }, authorization: caller }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await invoker.admit({ action: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
    })
    expect(calls).toBe(0)
  })
})
