import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import { createInProcessClient } from './action-client.ts'
import { createInvoker } from './invoker.ts'

const registry = createRegistry({
  echo: action(
    { params: Type.Object({ text: Type.String(), loud: Type.Boolean({ default: false }) }) },
    ({ text, loud }) => (loud ? text.toUpperCase() : text),
  ),
  onlyForRoot: action({}, (_params, context) => {
    if (context.authorization?.subject !== 'root') throw new ActionError('FORBIDDEN', 'Root only')
    return 'welcome'
  }),
})
const client = createInProcessClient(createInvoker(registry))

function registered(name: string) {
  const entry = registry.get(name)
  if (entry === undefined) throw new Error(`${name} is not registered`)
  return entry
}

describe('createInProcessClient', () => {
  it('is named in-process and serves every action', () => {
    expect(client.name).toBe('in-process')
    expect(registry.actions.every((entry) => client.serves(entry))).toBe(true)
  })

  it('returns the result of a successful call', async () => {
    await expect(client.call(registered('echo'), { text: 'hi', loud: true })).resolves.toEqual({
      ok: true,
      result: 'HI',
    })
  })

  it('reports a failure as problem details', async () => {
    const outcome = await client.call(registered('echo'), { loud: 'yes' })
    expect(outcome).toMatchObject({
      ok: false,
      problem: { status: 400, code: 'INVALID_PARAMS', type: 'urn:servey:error:invalid-params' },
    })
    if (outcome.ok) return
    expect(outcome.problem.issues?.map((issue) => issue.path).sort()).toEqual(['/loud', '/text'])
  })

  it('passes authorization to the handler', async () => {
    const root = { subject: 'root', scopes: [], claims: {} }
    await expect(
      client.call(registered('only_for_root'), {}, { authorization: root }),
    ).resolves.toEqual({
      ok: true,
      result: 'welcome',
    })
    await expect(client.call(registered('only_for_root'), {})).resolves.toMatchObject({
      ok: false,
      problem: { status: 403, detail: 'Root only' },
    })
  })

  it('does not change the params object it is given', async () => {
    const params = { text: 'hi' }
    await client.call(registered('echo'), params)
    expect(params).toEqual({ text: 'hi' })
  })
})
