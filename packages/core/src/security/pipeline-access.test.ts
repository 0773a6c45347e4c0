import { Type } from 'typebox'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { action } from '../action/define-action.ts'
import { createInvoker, type Invoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { allScopes, anyScope, authenticated, custom, describeAccess } from './access-policy.ts'
import { createJwtAuthenticator } from './jwt-authenticator.ts'
import { hs256, now, SECRET } from './test-keys.fixture.ts'

const orderHandler = vi.fn(({ owner }: { owner: string }) => `order of ${owner}`)
const actions = {
  public_info: action({ result: Type.String() }, () => 'public'),
  echo_authorization: action(
    { access: authenticated },
    (_params, { authorization }) => authorization,
  ),
  only_for_root: action(
    { access: anyScope('root'), params: Type.Object({ n: Type.Integer() }) },
    () => 'Some Secret Data!',
  ),
  needs_both: action({ access: allScopes('read', 'write') }, () => 'both'),
  own_order: action(
    {
      // A vi.fn() handler is named 'spy'; the function name would win over the export key.
      name: 'own_order',
      params: Type.Object({ owner: Type.String() }),
      access: custom<{ owner: string }>(
        (authorization, { owner }) => authorization?.subject === owner,
        'owner only',
      ),
    },
    orderHandler,
  ),
}

let invoker: Invoker
beforeAll(async () => {
  invoker = createInvoker(createRegistry(actions), {
    authenticator: await createJwtAuthenticator({ secret: SECRET }),
  })
})

const bearer = async (claims: Record<string, unknown>) =>
  `Bearer ${await hs256({ exp: now() + 60, ...claims })}`

async function outcome(action: string, input: unknown, authorizationHeader?: string) {
  const result = await invoker.invoke({
    action,
    input,
    ...(authorizationHeader === undefined ? {} : { authorizationHeader }),
  })
  return result.ok
    ? { ok: true, result: result.result }
    : { ok: false, code: result.error.code, status: result.error.status, data: result.error.data }
}

describe('access control in the pipeline', () => {
  it('answers 401 without a token, 403 without the scope, 200 with it', async () => {
    expect(await outcome('only_for_root', { n: 1 })).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      data: { reason: 'missing_token' },
    })
    expect(
      await outcome('only_for_root', { n: 1 }, await bearer({ sub: 'ada', scope: 'read' })),
    ).toMatchObject({ status: 403, code: 'FORBIDDEN', data: { scopes: ['root'] } })
    expect(
      await outcome('only_for_root', { n: 1 }, await bearer({ sub: 'ada', scope: 'root' })),
    ).toEqual({ ok: true, result: 'Some Secret Data!' })
  })

  it('checks scopes before params, so a stranger learns nothing about them', async () => {
    expect(await outcome('only_for_root', { n: 'not a number' })).toMatchObject({ status: 401 })
  })

  it('requires every scope for allScopes', async () => {
    expect(await outcome('needs_both', {}, await bearer({ scope: 'read' }))).toMatchObject({
      status: 403,
      data: { scopes: ['write'] },
    })
    expect(await outcome('needs_both', {}, await bearer({ scope: 'write read' }))).toMatchObject({
      ok: true,
    })
  })

  it('gives the handler the verified authorization', async () => {
    const result = await outcome(
      'echo_authorization',
      {},
      await bearer({ sub: 'ada', scope: 'a b', tenant: 't1' }),
    )
    expect(result).toMatchObject({
      ok: true,
      result: { subject: 'ada', scopes: ['a', 'b'], claims: { tenant: 't1' } },
    })
  })

  it('refuses an invalid token even on a public action', async () => {
    expect(await outcome('public_info', {}, 'Bearer not.a.jwt')).toMatchObject({
      status: 401,
      data: { reason: 'malformed_token' },
    })
    expect(await outcome('public_info', {}, await bearer({ exp: now() - 60 }))).toMatchObject({
      status: 401,
      data: { reason: 'token_expired' },
    })
    expect(await outcome('public_info', {})).toEqual({ ok: true, result: 'public' })
  })

  it('runs a custom predicate on the validated params', async () => {
    orderHandler.mockClear()
    expect(await outcome('own_order', { owner: 'ada' }, await bearer({ sub: 'ada' }))).toEqual({
      ok: true,
      result: 'order of ada',
    })
    expect(
      await outcome('own_order', { owner: 'bob' }, await bearer({ sub: 'ada' })),
    ).toMatchObject({ status: 403 })
    expect(await outcome('own_order', { owner: 'bob' })).toMatchObject({ status: 401 })
    expect(orderHandler).toHaveBeenCalledTimes(1)
  })

  it('trusts an in-process authorization but not an expired one', async () => {
    const root = { subject: 'cli', scopes: ['root'], claims: {} }
    expect(
      await invoker.invoke({ action: 'only_for_root', input: { n: 1 }, authorization: root }),
    ).toMatchObject({ ok: true })
    const expired = { ...root, expiresAt: new Date(Date.now() - 1000) }
    const result = await invoker.invoke({
      action: 'only_for_root',
      input: { n: 1 },
      authorization: expired,
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  it('refuses tokens when no authenticator is configured', async () => {
    const bare = createInvoker(createRegistry(actions))
    const result = await bare.invoke({
      action: 'public_info',
      authorizationHeader: await bearer({}),
    })
    expect(result).toMatchObject({
      ok: false,
      error: { status: 401, data: { reason: 'no_authenticator' } },
    })
  })

  it('describes policies for listings and documents', () => {
    expect(actions.public_info['~servey'].access.kind).toBe('allow_all')
    expect(describeAccess(anyScope('root', 'admin'))).toBe('any of: root, admin')
    expect(describeAccess(allScopes('a', 'b'))).toBe('all of: a, b')
    expect(describeAccess(actions.own_order['~servey'].access)).toBe('owner only')
  })
})
