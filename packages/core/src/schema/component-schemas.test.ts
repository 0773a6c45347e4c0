import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { ComponentSchemas, componentName } from './component-schemas.ts'
import { NamedSchemas } from './named-schemas.ts'

describe('ComponentSchemas', () => {
  it('describes a named type once and points every use and Type.Ref at it', () => {
    const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })
    const components = new ComponentSchemas()
    const line = components.hoist(Type.Object({ from: Point, to: Type.Ref('Point') }))
    expect(line).toEqual({
      type: 'object',
      required: ['from', 'to'],
      properties: {
        from: { $ref: '#/components/schemas/Point' },
        to: { $ref: '#/components/schemas/Point' },
      },
    })
    expect(components.size).toBe(1)
    expect(components.schemas).toEqual({
      Point: {
        type: 'object',
        required: ['x', 'y'],
        properties: { x: { type: 'number' }, y: { type: 'number' } },
      },
    })
  })

  it('names components by the characters both OpenAPI and AsyncAPI allow', () => {
    expect(componentName('orders/Order v2')).toBe('orders_Order_v2')
    const components = new ComponentSchemas()
    expect(components.hoist(Type.String({ $id: 'a b' }))).toEqual({
      $ref: '#/components/schemas/a_b',
    })
    expect(Object.keys(components.schemas)).toEqual(['a_b'])
  })

  it('leaves local references and unnamed schemas alone', () => {
    const components = new ComponentSchemas()
    const schema = { $ref: '#/$defs/x', $defs: { x: { type: 'string' } } }
    expect(components.hoist(schema)).toEqual(schema)
    expect(components.size).toBe(0)
  })
})

describe('NamedSchemas', () => {
  it('spells references with the given function (bare ids for a serializer)', () => {
    const named = new NamedSchemas((id) => id)
    expect(named.hoist(Type.Array(Type.Ref('Point')))).toEqual({
      type: 'array',
      items: { $ref: 'Point' },
    })
  })
})
