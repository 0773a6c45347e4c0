import { describe, expect, it } from 'vitest'
import { createArgsConverter, createInputConverter, type InputField } from './input-converter.ts'

describe('input converters', () => {
  it('pass GraphQL arguments through when nothing needs mapping', () => {
    const convert = createArgsConverter([
      { from: 'name', to: 'name', dropNull: false, convert: undefined },
    ])
    const args = { name: 'x' }
    expect(convert(args)).toBe(args)
  })

  it('rename fields, drop null where it means "absent", and convert nested values', () => {
    const item: InputField[] = [
      { from: 'itemName', to: 'item_name', dropNull: false, convert: undefined },
    ]
    const convert = createArgsConverter([
      {
        from: 'orderItem',
        to: 'order_item',
        dropNull: false,
        convert: createInputConverter(() => item),
      },
      { from: 'note', to: 'note', dropNull: true, convert: undefined },
      { from: 'maybe', to: 'maybe', dropNull: false, convert: undefined },
    ])
    expect(convert({ orderItem: { itemName: 'tea' }, note: null, maybe: null })).toEqual({
      order_item: { item_name: 'tea' },
      maybe: null,
    })
  })
})
