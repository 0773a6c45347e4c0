import fc from 'fast-check'

/**
 * JSON text, not values: the inputs that matter most are the ones `JSON.stringify` cannot
 * write (`1e309`, a lone surrogate, a duplicated `__proto__` key, a truncated document), so
 * every generator here yields the text that goes on the wire.
 */
export type JsonText = string

/** Numbers at the edges: non-finite once parsed, past 2^53, negative zero, exponents. */
export const edgeNumberText: fc.Arbitrary<JsonText> = fc.constantFrom(
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '9007199254740993',
  '-9007199254740993',
  '2147483648',
  '-2147483649',
  '1.7976931348623157e308',
  '0.1e1',
  '1E+2',
  '123456789012345678901234567890',
  '0.000000000000000000000000001',
  '4.9e-324',
)

/** Tokens that are not JSON at all, where a number or value is expected. */
export const notJsonText: fc.Arbitrary<JsonText> = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  '0x10',
  '+1',
  '.5',
  '01',
  "'single'",
  '"unterminated',
  '{',
  '[',
  '}',
  '{"a":}',
  '{"a" 1}',
  '[1,]',
  '{"a":1,}',
  '// comment',
  '',
  ' ',
  '\u0000',
  '\uFEFF{}',
)

/** Strings that are valid JSON but awkward: control characters, lone surrogates, long ones. */
export const awkwardStringText: fc.Arbitrary<JsonText> = fc.oneof(
  fc.constantFrom(
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"\\u0000"',
    '"\\u202e"',
    '"../../etc/passwd"',
    '"%00"',
    '"<script>alert(1)</script>"',
    '"\\"; DROP TABLE x; --"',
    '"{{7*7}}"',
    '"${7*7}"',
    '"__proto__"',
    '"constructor"',
    '""',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }).map((text) => JSON.stringify(text)),
  fc.integer({ min: 1_000, max: 200_000 }).map((size) => JSON.stringify('x'.repeat(size))),
)

/** Prototype-pollution shapes: the keys that reach `Object.prototype` if copied naively. */
export function pollutionText(inner: JsonText): fc.Arbitrary<JsonText> {
  return fc.constantFrom(
    `{"__proto__":${inner}}`,
    `{"__proto__":{"polluted":${inner}}}`,
    `{"constructor":{"prototype":{"polluted":${inner}}}}`,
    `{"a":${inner},"__proto__":{"isAdmin":true}}`,
    `{"a":1,"a":${inner}}`,
  )
}

/** Nesting far past any sane document: arrays and objects, 100 to 20,000 levels. */
export const deepText: fc.Arbitrary<JsonText> = fc
  .record({ depth: fc.integer({ min: 100, max: 20_000 }), kind: fc.constantFrom('[', '{') })
  .map(({ depth, kind }) =>
    kind === '['
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  )

/** Wide documents: many keys or items. */
export const wideText: fc.Arbitrary<JsonText> = fc
  .record({
    width: fc.integer({ min: 100, max: 50_000 }),
    kind: fc.constantFrom('array', 'object'),
  })
  .map(({ width, kind }) =>
    kind === 'array'
      ? `[${Array.from({ length: width }, (_, i) => i).join(',')}]`
      : `{${Array.from({ length: width }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  )

/** Any JSON value at all, as text (what a well-formed but wrong client sends). */
export const anyJsonText: fc.Arbitrary<JsonText> = fc
  .jsonValue({ maxDepth: 4 })
  .map((value) => JSON.stringify(value) ?? 'null')

/** A hostile JSON text of any kind, in place of one value. */
export const hostileValueText: fc.Arbitrary<JsonText> = fc.oneof(
  { arbitrary: edgeNumberText, weight: 4 },
  { arbitrary: notJsonText, weight: 2 },
  { arbitrary: awkwardStringText, weight: 3 },
  { arbitrary: anyJsonText, weight: 4 },
  { arbitrary: pollutionText('1'), weight: 1 },
  { arbitrary: deepText, weight: 1 },
  { arbitrary: wideText, weight: 1 },
)

/** A JSON Schema, as much of it as the generators read. */
export interface SchemaLike {
  readonly type?: string | readonly string[]
  readonly properties?: Readonly<Record<string, SchemaLike>>
  readonly required?: readonly string[]
  readonly items?: SchemaLike
  readonly enum?: readonly unknown[]
  readonly const?: unknown
  readonly minimum?: number
  readonly maximum?: number
  readonly minLength?: number
  readonly maxLength?: number
  readonly maxItems?: number
  readonly anyOf?: readonly SchemaLike[]
  readonly oneOf?: readonly SchemaLike[]
  readonly format?: string
  readonly $ref?: string
  readonly default?: unknown
}

/** Values near a bound: both sides of it. */
function aroundBounds(schema: SchemaLike): JsonText[] {
  const near: number[] = []
  for (const bound of [schema.minimum, schema.maximum]) {
    if (typeof bound === 'number') near.push(bound - 1, bound, bound + 1, bound + 0.5)
  }
  return near.map(String)
}

/**
 * Text for a value of this schema: mostly valid, so the request passes validation and reaches
 * the handler (where the interesting bugs are), often at the schema's bounds, and otherwise
 * hostile. Depth-limited so that a recursive schema terminates.
 */
export function valueTextFor(schema: SchemaLike | undefined, depth = 0): fc.Arbitrary<JsonText> {
  const hostile = hostileValueText
  if (schema === undefined || depth > 4) return fc.oneof(anyJsonText, hostile)
  const variants = schema.anyOf ?? schema.oneOf
  if (variants !== undefined && variants.length > 0) {
    return fc.oneof(...variants.map((variant) => valueTextFor(variant, depth + 1)), hostile)
  }
  if (schema.enum !== undefined && schema.enum.length > 0) {
    return fc.oneof(
      fc.constantFrom(...schema.enum.map((value) => JSON.stringify(value) ?? 'null')),
      hostile,
    )
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  let valid: fc.Arbitrary<JsonText>
  switch (type) {
    case 'integer':
    case 'number': {
      const base =
        type === 'integer'
          ? fc.integer({
              min: Math.max(schema.minimum ?? -1e9, -2_147_483_648),
              max: Math.min(schema.maximum ?? 1e9, 2_147_483_647),
            })
          : fc.double({ noNaN: true, noDefaultInfinity: true })
      const bounds = aroundBounds(schema)
      valid = fc.oneof(
        base.map(String),
        ...(bounds.length > 0 ? [fc.constantFrom(...bounds)] : []),
        edgeNumberText,
      )
      break
    }
    case 'string':
      valid = fc.oneof(
        fc
          .string({ maxLength: Math.min(schema.maxLength ?? 40, 200) })
          .map((s) => JSON.stringify(s)),
        fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => JSON.stringify(s)),
        awkwardStringText,
      )
      break
    case 'boolean':
      valid = fc.constantFrom('true', 'false', '"true"', '0', '1')
      break
    case 'null':
      valid = fc.constantFrom('null', '"null"', '0')
      break
    case 'array':
      valid = fc
        .array(valueTextFor(schema.items, depth + 1), {
          maxLength: Math.min((schema.maxItems ?? 8) + 2, 120),
        })
        .map((items) => `[${items.join(',')}]`)
      break
    case 'object':
    default:
      valid = objectTextFor(schema, depth)
  }
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostile, weight: 1 })
}

/** An object of the schema's properties: required ones mostly present, unknown keys sometimes. */
export function objectTextFor(schema: SchemaLike, depth = 0): fc.Arbitrary<JsonText> {
  const properties = Object.entries(schema.properties ?? {})
  const required = new Set(schema.required ?? [])
  const entries = properties.map(([name, property]) =>
    fc.record({
      name: fc.constant(name),
      present: fc
        .double({ min: 0, max: 1, noNaN: true })
        .map((p) => p < (required.has(name) ? 0.9 : 0.5)),
      value: valueTextFor(property, depth + 1),
    }),
  )
  const extra = fc.array(
    fc.record({
      name: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', '')),
      value: hostileValueText,
    }),
    { maxLength: 2 },
  )
  return fc.tuple(fc.tuple(...entries), extra).map(([fields, extras]) => {
    const parts = fields
      .filter((field) => field.present)
      .map((field) => `${JSON.stringify(field.name)}:${field.value}`)
    for (const field of extras) parts.push(`${JSON.stringify(field.name)}:${field.value}`)
    return `{${parts.join(',')}}`
  })
}
