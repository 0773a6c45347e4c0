import { Type, type TSchema } from 'typebox'
import { describe, expect, it } from 'vitest'
import { definitionErrors } from '../errors/definition-errors.ts'
import { createSchemaCompiler, summarizeIssues, type InputSource } from './validator.ts'

const compiler = createSchemaCompiler()
const compileValidator = (schema: TSchema, source: InputSource) => compiler.input(schema, source)
const compileResultChecker = (schema: TSchema) => compiler.result(schema)

const Order = Type.Object({
  item: Type.String(),
  qty: Type.Integer({ minimum: 1 }),
  gift: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Type.Array(Type.String())),
  ids: Type.Optional(Type.Array(Type.Integer())),
  price: Type.Optional(Type.String()),
  note: Type.Optional(Type.String({ default: 'none' })),
  address: Type.Optional(Type.Object({ zip: Type.Integer(), street: Type.String() })),
})

describe('compileValidator: json input', () => {
  const check = compileValidator(Order, 'json')

  it('accepts valid input and fills defaults in place', () => {
    const input = { item: 'tea', qty: 2 }
    expect(check(input)).toBeNull()
    expect(input).toEqual({ item: 'tea', qty: 2, note: 'none' })
  })

  it('keeps types as sent: no string is turned into a number', () => {
    const issues = check({ item: 'tea', qty: '2' })
    expect(issues).toEqual([{ path: '/qty', message: 'must be integer', keyword: 'type' }])
  })

  it('reports one issue per failing path, missing required properties included', () => {
    const issues = check({ qty: 0, gift: 'yes', address: { zip: 'x' } })
    expect(issues?.map((issue) => issue.path).sort()).toEqual([
      '/address/street',
      '/address/zip',
      '/gift',
      '/item',
      '/qty',
    ])
    expect(issues?.find((issue) => issue.path === '/item')).toMatchObject({ keyword: 'required' })
  })

  it('reports input that is not an object at the root, as "/"', () => {
    expect(check('tea')).toEqual([{ path: '/', message: 'must be object', keyword: 'type' }])
  })

  it('escapes property names in paths as JSON Pointer does', () => {
    const strict = compileValidator(
      Type.Object({ 'a/b': Type.String() }, { additionalProperties: false }),
      'json',
    )
    expect(
      strict({ 'x~y': 1 })
        ?.map((issue) => issue.path)
        .sort(),
    ).toEqual(['/a~1b', '/x~0y'])
  })

  it('knows string formats', () => {
    const email = compileValidator(Type.Object({ to: Type.String({ format: 'email' }) }), 'json')
    expect(email({ to: 'dev@example.com' })).toBeNull()
    expect(email({ to: 'not an address' })?.[0]).toMatchObject({ path: '/to', keyword: 'format' })
  })
})

describe('compileValidator: strings input (query strings, CLI flags)', () => {
  const check = compileValidator(Order, 'strings')

  it('coerces numbers, booleans and single values into arrays, by the schema', () => {
    const input = { item: 'tea', qty: '3', gift: 'true', tags: 'green', ids: ['1', '2'] }
    expect(check(input)).toBeNull()
    expect(input).toEqual({
      item: 'tea',
      qty: 3,
      gift: true,
      tags: ['green'],
      ids: [1, 2],
      note: 'none',
    })
  })

  it('coerces inside nested objects', () => {
    const input = { item: 'tea', qty: '1', address: { zip: '75001', street: '1 rue' } }
    expect(check(input)).toBeNull()
    expect(input.address).toEqual({ zip: 75001, street: '1 rue' })
  })

  it('keeps strings exactly as sent where the schema wants a string', () => {
    const input = { item: 'true', qty: '1', price: '1.50', tags: ['007', 'null'] }
    expect(check(input)).toBeNull()
    expect(input).toMatchObject({ item: 'true', price: '1.50', tags: ['007', 'null'] })
  })

  it('still rejects what cannot be coerced', () => {
    expect(
      check({ item: 'tea', qty: 'three', gift: 'maybe' })
        ?.map((issue) => issue.path)
        .sort(),
    ).toEqual(['/gift', '/qty'])
    expect(check({ item: 'tea', qty: '' })?.map((issue) => issue.path)).toEqual(['/qty'])
  })
})

describe('compileResultChecker', () => {
  const check = compileResultChecker(
    Type.Object({ total: Type.Number(), currency: Type.String({ default: 'EUR' }) }),
  )

  it('never changes the value it checks', () => {
    const result = { total: 3, currency: 'USD' }
    expect(check(result)).toBeNull()
    const partial = { total: 3 }
    expect(check(partial)).toEqual([
      { path: '/currency', message: "must have required property 'currency'", keyword: 'required' },
    ])
    expect(partial).toEqual({ total: 3 })
  })

  it('does not coerce', () => {
    expect(check({ total: '3', currency: 'EUR' })?.[0]).toMatchObject({ path: '/total' })
  })
})

describe('summarizeIssues', () => {
  it('joins issues into one line', () => {
    expect(
      summarizeIssues([
        { path: '/name', message: 'must be string' },
        { path: '/age', message: 'must be >= 0' },
      ]),
    ).toBe('/name must be string; /age must be >= 0')
  })
})

describe('createSchemaCompiler: named types', () => {
  const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })

  it('lets two schemas share a type with an $id', () => {
    const shared = createSchemaCompiler()
    const line = Type.Object({ from: Point, to: Point })
    const shape = Type.Object({ centre: Point })
    shared.addNamed(line)
    shared.addNamed(shape)
    expect(shared.input(line, 'json')({ from: { x: 0, y: 0 }, to: { x: 1, y: 1 } })).toBeNull()
    expect(shared.input(shape, 'json')({ centre: { x: 'left', y: 0 } })?.[0]).toMatchObject({
      path: '/centre/x',
    })
  })

  it('resolves a Type.Ref to a type another schema declared', () => {
    const shared = createSchemaCompiler()
    shared.addNamed(Type.Object({ origin: Point }))
    const byRef = Type.Object({ at: Type.Ref('Point') })
    expect(shared.input(byRef, 'json')({ at: { x: 1, y: 2 } })).toBeNull()
    expect(shared.input(byRef, 'strings')({ at: { x: '1', y: '2' } })).toBeNull()
    expect(shared.result(byRef)({ at: { x: 1 } })?.[0]).toMatchObject({ path: '/at/y' })
  })

  it('rejects two different schemas under one $id', () => {
    const shared = createSchemaCompiler()
    shared.addNamed(Point)
    const other = Type.Object({ lat: Type.Number() }, { $id: 'Point' })
    expect(() => shared.addNamed(other)).toThrow(
      expect.objectContaining({ code: definitionErrors.SERVEY_ERR_SCHEMA_ID_CONFLICT.code }),
    )
  })

  it('keeps the ids of two compilers apart', () => {
    const first = createSchemaCompiler()
    const second = createSchemaCompiler()
    first.addNamed(Point)
    expect(() =>
      second.addNamed(Type.Object({ lat: Type.Number() }, { $id: 'Point' })),
    ).not.toThrow()
  })
})

describe('compileValidator: strings input turns only decimal text into numbers', () => {
  const check = compileValidator(Order, 'strings')

  it.each(['0x10', '0b11', '0o7', ' 5', '5 ', ' ', '+5', '.5', '5.'])(
    'refuses %j for a number instead of reading it as JavaScript would',
    (text) => {
      const number = compileValidator(Type.Object({ n: Type.Number() }), 'strings')
      expect(number({ n: text })).toEqual([
        {
          path: '/n',
          message: `must be a decimal number (got ${JSON.stringify(text)})`,
          keyword: 'decimal',
        },
      ])
    },
  )

  it('refuses them inside arrays and nested objects too', () => {
    expect(check({ item: 'tea', qty: '1', ids: ['1', '0x2'] })?.[0]?.path).toBe('/ids/1')
    expect(check({ item: 'tea', qty: '1', ids: '0x2' })?.[0]?.path).toBe('/ids')
    expect(check({ item: 'tea', qty: '1', address: { zip: '0x1', street: 's' } })?.[0]?.path).toBe(
      '/address/zip',
    )
  })

  it('keeps such text as sent where the schema wants a string', () => {
    const input = { item: '0x10', qty: '2', price: ' 5', tags: ['+5'] }
    expect(check(input)).toBeNull()
    expect(input).toMatchObject({ item: '0x10', qty: 2, price: ' 5', tags: ['+5'] })
  })

  it('checks wherever a number may hide: a union, an array, a named type used by reference', () => {
    const compiler = createSchemaCompiler()
    const Where = Type.Object({ lat: Type.Number() }, { $id: 'Where' })
    compiler.addNamed(Where)
    const schemas = [
      Type.Object({ n: Type.Union([Type.String({ format: 'date' }), Type.Integer()]) }),
      Type.Object({ n: Type.Array(Type.Number()) }),
      Type.Object({ n: Type.Ref('Where') }),
    ]
    expect(compiler.input(schemas[0]!, 'strings')({ n: '0x10' })?.[0]?.keyword).toBe('decimal')
    expect(compiler.input(schemas[1]!, 'strings')({ n: ['0x10'] })?.[0]?.keyword).toBe('decimal')
    expect(compiler.input(schemas[2]!, 'strings')({ n: { lat: '0x10' } })?.[0]?.keyword).toBe(
      'decimal',
    )
  })

  it('has nothing to check where the schema names no number: the text stays as sent', () => {
    const words = compileValidator(
      Type.Object({ q: Type.String(), tags: Type.Optional(Type.Array(Type.String())) }),
      'strings',
    )
    const input = { q: '0x10', tags: ' 5' }
    expect(words(input)).toBeNull()
    expect(input).toEqual({ q: '0x10', tags: [' 5'] })
  })

  it('reads every decimal number, exponents included, and still refuses non-finite ones', () => {
    const input = { item: 'tea', qty: '1e2', ids: ['-3', '0'] }
    expect(check(input)).toBeNull()
    expect(input).toMatchObject({ qty: 100, ids: [-3, 0] })
    for (const text of ['1e309', 'Infinity', '-Infinity']) {
      expect(check({ item: 'tea', qty: '1', ids: [text] })?.[0]?.keyword).toBe('finite')
    }
  })
})
