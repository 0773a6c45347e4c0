import { Type } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { classify, collectNamedSchemas, type JsonSchema } from './classify.ts'

const named = new Map<string, JsonSchema>([
  ['Point', { type: 'object', properties: { x: { type: 'number' } } }],
])
const of = (schema: unknown) => classify(schema as JsonSchema, named)

describe('classify', () => {
  it('reads scalars, with Int only when the bounds fit 32 bits', () => {
    expect(of(Type.String())).toEqual({
      shape: { kind: 'scalar', scalar: 'String' },
      nullable: false,
    })
    expect(of(Type.String({ format: 'date-time' })).shape).toEqual({
      kind: 'scalar',
      scalar: 'DateTime',
    })
    expect(of(Type.Integer()).shape).toEqual({ kind: 'scalar', scalar: 'Int' })
    expect(of(Type.Integer({ maximum: 2 ** 40 })).shape).toEqual({
      kind: 'scalar',
      scalar: 'Float',
    })
    expect(of(Type.Number()).shape).toEqual({ kind: 'scalar', scalar: 'Float' })
    expect(of(Type.Boolean()).shape).toEqual({ kind: 'scalar', scalar: 'Boolean' })
  })

  it('reads null in a union or a type list as nullable', () => {
    expect(of(Type.Union([Type.String(), Type.Null()]))).toEqual({
      shape: { kind: 'scalar', scalar: 'String' },
      nullable: true,
    })
    expect(of({ type: ['integer', 'null'] })).toEqual({
      shape: { kind: 'scalar', scalar: 'Int' },
      nullable: true,
    })
  })

  it('reads unions of string literals and enums as GraphQL enums when the values are names', () => {
    expect(of(Type.Union([Type.Literal('a'), Type.Literal('b')])).shape).toMatchObject({
      kind: 'enum',
      values: ['a', 'b'],
    })
    expect(of(Type.Enum(['x', 'y'])).shape).toMatchObject({ kind: 'enum', values: ['x', 'y'] })
    expect(of(Type.Enum(['in-progress', 'done'])).shape).toEqual({
      kind: 'scalar',
      scalar: 'String',
    })
    expect(of(Type.Enum(['true', 'false'])).shape).toEqual({ kind: 'scalar', scalar: 'String' })
    expect(of(Type.Union([Type.Literal(1), Type.Literal(2)])).shape).toEqual({
      kind: 'scalar',
      scalar: 'Int',
    })
    expect(of(Type.Union([Type.Literal(1), Type.Literal(2.5)])).shape).toEqual({
      kind: 'scalar',
      scalar: 'Float',
    })
  })

  it('reads lists, objects and references', () => {
    expect(of(Type.Array(Type.String())).shape).toEqual({ kind: 'list', items: { type: 'string' } })
    expect(of(Type.Object({ a: Type.String() })).shape.kind).toBe('object')
    expect(of(Type.Ref('Point')).shape).toEqual({ kind: 'object', schema: named.get('Point') })
  })

  it('falls back to JSON for shapes GraphQL cannot express', () => {
    for (const schema of [
      Type.Record(Type.String(), Type.Number()),
      Type.Tuple([Type.String()]),
      Type.Union([Type.String(), Type.Number()]),
      Type.Object({}),
      Type.Unknown(),
      Type.Ref('Missing'),
    ]) {
      expect(of(schema).shape).toEqual({ kind: 'scalar', scalar: 'JSON' })
    }
  })

  it('gives a named object without properties a type when nested actions hang off it', () => {
    const empty = Type.Object({}, { $id: 'Empty' }) as unknown as JsonSchema
    expect(classify(empty, named, (id) => id === 'Empty').shape).toEqual({
      kind: 'object',
      schema: empty,
    })
  })
})

describe('collectNamedSchemas', () => {
  it('finds every $id and $defs entry, once', () => {
    const Point = Type.Object({ x: Type.Number() }, { $id: 'Point' })
    const found = collectNamedSchemas([
      Type.Object({ a: Point, b: Type.Array(Point) }),
      { $defs: { Tree: { type: 'object' } } },
      undefined,
    ])
    expect([...found.keys()]).toEqual(['Point', 'Tree'])
  })
})
