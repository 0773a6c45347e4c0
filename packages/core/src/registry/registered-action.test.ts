import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { createSchemaCompiler } from '../schema/validator.ts'
import { registerAction } from './registered-action.ts'

const numberStats = action(
  {
    params: Type.Object({
      numbers: Type.Array(Type.Number()),
      round: Type.Boolean({ default: false }),
    }),
    result: Type.Object({ count: Type.Integer(), sum: Type.Number() }),
  },
  ({ numbers }) => ({ count: numbers.length, sum: numbers.reduce((a, b) => a + b, 0) }),
)

describe('registerAction', () => {
  const registered = registerAction(numberStats, 'number_stats', 'export numberStats')

  it('holds the name in every spelling and where it was found', () => {
    expect(registered).toMatchObject({
      name: 'number_stats',
      kebabName: 'number-stats',
      camelName: 'numberStats',
      source: 'export numberStats',
      action: numberStats,
    })
    expect(Object.isFrozen(registered)).toBe(true)
  })

  it('checks json params without coercing', () => {
    const input = { numbers: [1, 2] }
    expect(registered.checkParams(input, 'json')).toBeNull()
    expect(input).toEqual({ numbers: [1, 2], round: false })
    expect(registered.checkParams({ numbers: ['1'] }, 'json')).toEqual([
      { path: '/numbers/0', message: 'must be number', keyword: 'type' },
    ])
  })

  it('coerces strings params', () => {
    const input = { numbers: '4', round: 'true' }
    expect(registered.checkParams(input, 'strings')).toBeNull()
    expect(input).toEqual({ numbers: [4], round: true })
  })

  it('checks results against the result schema', () => {
    expect(registered.checkResult({ count: 2, sum: 3 })).toBeNull()
    expect(registered.checkResult({ count: 1.5, sum: 3 })?.[0]).toMatchObject({ path: '/count' })
  })

  it('accepts any result when the action declares no result schema', () => {
    const free = registerAction(
      action({}, () => 1),
      'free',
      'export free',
    )
    expect(free.checkResult(Symbol('anything'))).toBeNull()
  })

  it('uses the compiler it is given, so named types resolve across actions', () => {
    const compiler = createSchemaCompiler()
    const Point = Type.Object({ x: Type.Number() }, { $id: 'Point' })
    compiler.addNamed(Point)
    const move = registerAction(
      action({ params: Type.Object({ to: Type.Ref('Point') }) }, () => 1),
      'move',
      'export move',
      compiler,
    )
    expect(move.checkParams({ to: { x: 1 } }, 'json')).toBeNull()
    expect(move.checkParams({ to: { x: 'a' } }, 'json')?.[0]).toMatchObject({ path: '/to/x' })
  })

  it('rejects an invalid name, naming where it came from', () => {
    expect(() => registerAction(numberStats, 'NumberStats', 'export NumberStats')).toThrow(
      "Action name 'NumberStats' (from export NumberStats) is invalid",
    )
  })
})
