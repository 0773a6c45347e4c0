import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { callDirect } from './call-direct.ts'

describe('callDirect', () => {
  const double = action(
    { name: 'double', params: Type.Object({ n: Type.Number() }), result: Type.Number() },
    ({ n }) => n * 2,
  )

  it('runs the action through the pipeline and returns its result', async () => {
    await expect(callDirect(double, { n: 21 })).resolves.toBe(42)
  })

  it('throws the ActionError of a failed call', async () => {
    await expect(callDirect(double, { n: 'x' })).rejects.toBeInstanceOf(ActionError)
    const failing = action({ name: 'failing' }, () => {
      throw new ActionError('CONFLICT', 'Already there')
    })
    await expect(callDirect(failing, {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Already there',
    })
  })

  it('calls an action that has no name of its own', async () => {
    const anonymous = action({}, (_params, context) => context.action)
    await expect(callDirect(anonymous, undefined)).resolves.toBe('anonymous_action')
  })

  it('still reports definition mistakes, as coded errors', async () => {
    const misnamed = action({ name: 'Not Valid' }, () => 1)
    await expect(callDirect(misnamed, {})).rejects.toMatchObject({
      code: 'SERVEY_ERR_ACTION_NAME_INVALID',
    })
  })

  it('copies the input, so coercion and defaults never touch the caller object', async () => {
    const withDefault = action(
      { name: 'with_default', params: Type.Object({ n: Type.Number({ default: 1 }) }) },
      ({ n }) => n,
    )
    const input = {}
    await expect(callDirect(withDefault, input)).resolves.toBe(1)
    expect(input).toEqual({})
  })
})
