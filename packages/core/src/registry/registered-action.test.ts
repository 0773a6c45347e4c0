import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { page } from '../trigger/page-trigger.ts'
import { web } from '../trigger/web-trigger.ts'
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

describe('registerAction: when the string-input validator is compiled', () => {
  // Which input validators the registry asks its compiler for, and when.
  const recordingCompiler = () => {
    const compiler = createSchemaCompiler()
    const sources: string[] = []
    return {
      sources,
      compiler: {
        ...compiler,
        input: (...args: Parameters<typeof compiler.input>) => {
          sources.push(args[1])
          return compiler.input(...args)
        },
      },
    }
  }
  const params = Type.Object({ id: Type.Integer() })
  const served = (triggers: Parameters<typeof action>[0]['triggers']) =>
    action({ params, triggers }, ({ id }) => id)

  it.each([
    ['a GET action', [web({ method: 'GET' })]],
    ['a DELETE action', [web({ method: 'DELETE' })]],
    ['a POST action with a path parameter', [web({ method: 'POST', path: '/things/:id' })]],
    ['a page', [page()]],
  ])('compiles it at registration for %s, so no request pays for it', (_, triggers) => {
    const { compiler, sources } = recordingCompiler()
    const registered = registerAction(served(triggers), 'get_thing', 'export', compiler)
    expect(sources).toEqual(['json', 'strings'])
    expect(registered.checkParams({ id: '7' }, 'strings')).toBeNull()
    expect(sources).toEqual(['json', 'strings'])
  })

  it('compiles it on first use for an action served only with JSON bodies', () => {
    const { compiler, sources } = recordingCompiler()
    const registered = registerAction(served([web({ method: 'POST' })]), 'x', 'export', compiler)
    expect(sources).toEqual(['json'])
    const input = { id: '7' }
    expect(registered.checkParams(input, 'strings')).toBeNull()
    expect(input).toEqual({ id: 7 })
    expect(sources).toEqual(['json', 'strings'])
  })

  it('compiles nothing at registration when compiling lazily', () => {
    const { compiler, sources } = recordingCompiler()
    registerAction(served([web({ method: 'GET' })]), 'x', 'export', compiler, 'lazy')
    expect(sources).toEqual([])
  })
})
