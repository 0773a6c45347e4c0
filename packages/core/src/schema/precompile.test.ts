import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { channel } from '../channel/define-channel.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry, createRegistryWith } from '../registry/registry.ts'
import { WEB_GET, WEB_POST } from '../trigger/web-trigger.ts'
import { precompileValidators } from './precompile.ts'
import { createSchemaCompiler, type InputSource, type PrecompiledValidators } from './validator.ts'

const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })

// Schemas that exercise what Ajv generates differently: coercion, defaults, formats, named
// types and references, unions, the runtime helpers (string length, deep equality).
const app = {
  search: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({
        q: Type.String({ minLength: 2, maxLength: 5 }),
        page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
        ratio: Type.Optional(Type.Number()),
        exact: Type.Optional(Type.Boolean()),
        tags: Type.Optional(Type.Array(Type.String(), { uniqueItems: true })),
        ids: Type.Optional(Type.Array(Type.Integer())),
        since: Type.Optional(Type.String({ format: 'date-time' })),
        mail: Type.Optional(Type.String({ format: 'email' })),
        sort: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
      }),
      result: Type.Array(Type.Object({ id: Type.Integer(), at: Type.String({ format: 'date' }) })),
    },
    () => [],
  ),
  place: action(
    {
      triggers: [WEB_POST],
      params: Type.Object(
        { at: Point, near: Type.Optional(Type.Array(Type.Ref('Point'))), name: Type.String() },
        { additionalProperties: false },
      ),
      result: Type.Object({ at: Type.Ref('Point'), distance: Type.Number() }),
    },
    ({ at }) => ({ at, distance: Math.hypot(at.x, at.y) }),
  ),
  mean: action(
    { params: Type.Object({ data: Type.Array(Type.Number()) }), result: Type.Number() },
    ({ data }) => data.reduce((sum, value) => sum + value, 0) / data.length,
  ),
  orders: channel('orders', {
    payload: Type.Object({ id: Type.String({ pattern: '^o-[0-9]+$' }), total: Type.Number() }),
  }),
}

/** Run the generated CommonJS module as a bundler would, recording what it requires. */
function load(code: string, resolveDir: string) {
  const required: string[] = []
  const real = createRequire(join(resolveDir, 'precompiled.cjs'))
  const module = { exports: {} as PrecompiledValidators }
  new Function('module', 'exports', 'require', code)(module, module.exports, (id: string) => {
    required.push(id)
    return real(id) as unknown
  })
  return { validators: module.exports, required }
}

const generated = precompileValidators(app)
const { validators, required } = load(generated.code, generated.resolveDir)
const compiled = createRegistry(app)
const precompiled = createRegistry(app, { validators })

// Inputs as a query string (strings) or a JSON body gives them, valid and not.
const params: Record<string, Array<[InputSource, unknown]>> = {
  search: [
    ['strings', { q: 'tea' }],
    ['strings', { q: 'tea', page: '3', ratio: '0.5', exact: 'true', tags: 'green' }],
    ['strings', { q: 'tea', ids: ['1', '2'], since: '2026-12-06T10:00:00Z', sort: 'asc' }],
    ['strings', { q: 't', page: '0', ratio: 'abc', exact: 'maybe', tags: ['a', 'a'] }],
    ['strings', { q: '👍👍👍', since: 'yesterday', mail: 'not mail', sort: 'up' }],
    ['strings', { q: 'tea', ratio: '1e309' }],
    ['strings', { q: 'tea', ratio: '0x10', page: ' 5' }],
    ['strings', { q: 'tea', ratio: 'Infinity' }],
    ['strings', {}],
    ['json', { q: 'tea', page: 2, ratio: Number.POSITIVE_INFINITY }],
    ['json', { q: 'tea', page: '2', tags: 'green' }],
    ['json', 'tea'],
  ],
  place: [
    ['json', { at: { x: 1, y: 2 }, name: 'home' }],
    ['json', { at: { x: 1, y: 2 }, near: [{ x: 0, y: 0 }, { x: 'a' }], name: 'home', extra: 1 }],
    ['json', { at: { x: Number.NaN, y: 2 }, name: 'home' }],
    ['json', { at: null }],
  ],
  mean: [
    ['json', { data: [1, 2, 3] }],
    ['json', { data: [1, 1e308 * 10] }],
    ['strings', { data: ['1', 'x', '2.5'] }],
    ['strings', { data: '4' }],
  ],
}

describe('precompileValidators', () => {
  it('validates, coerces and fills defaults exactly as compiled validators do', () => {
    let compared = 0
    for (const [name, cases] of Object.entries(params)) {
      for (const [source, input] of cases) {
        const a = structuredClone(input)
        const b = structuredClone(input)
        const issues = compiled.get(name)!.checkParams(a, source)
        expect({
          name,
          source,
          input,
          issues: precompiled.get(name)!.checkParams(b, source),
        }).toEqual({ name, source, input, issues })
        // Coercion and defaults change the input in place, the same way.
        expect(b).toEqual(a)
        compared++
      }
    }
    expect(compared).toBe(20)
  })

  it('checks results and channel events exactly as compiled validators do', () => {
    const results: Record<string, unknown[]> = {
      search: [[{ id: 1, at: '2026-12-06' }], [{ id: 1.5, at: 'today' }], {}],
      place: [
        { at: { x: 1, y: 2 }, distance: 2.2 },
        { at: { x: 1 }, distance: '2' },
      ],
      mean: [2, '2', null],
    }
    for (const [name, values] of Object.entries(results)) {
      for (const value of values) {
        expect(precompiled.get(name)!.checkResult(value)).toEqual(
          compiled.get(name)!.checkResult(value),
        )
      }
    }
    expect(compiled.get('search')!.checkResult([{ id: 1.5, at: 'today' }])).toHaveLength(2)
    for (const event of [{ id: 'o-1', total: 3 }, { id: 'x', total: '3' }, 'o-1']) {
      expect(precompiled.channel('orders')!.checkEvent(event)).toEqual(
        compiled.channel('orders')!.checkEvent(event),
      )
    }
  })

  it('refuses non-finite numbers and hexadecimal strings through the pipeline as compiled ones do', async () => {
    const outcomes = async (registry: typeof compiled) => {
      const invoker = createInvoker(registry)
      return Promise.all([
        invoker.invoke({ action: 'mean', input: { data: JSON.parse('[1, 1e309]') as number[] } }),
        invoker.invoke({
          action: 'search',
          input: { q: 'tea', ratio: '1e309' },
          inputSource: 'strings',
        }),
        invoker.invoke({
          action: 'search',
          input: { q: 'tea', ratio: '0x10' },
          inputSource: 'strings',
        }),
        invoker.invoke({ action: 'mean', input: { data: ['1', '3'] }, inputSource: 'strings' }),
      ])
    }
    const [mine, theirs] = await Promise.all([outcomes(precompiled), outcomes(compiled)])
    const shape = (outcome: (typeof mine)[number]) =>
      outcome.ok ? outcome.result : { code: outcome.error.code, issues: outcome.error.issues }
    expect(mine.map(shape)).toEqual(theirs.map(shape))
    expect(mine.map(shape)).toEqual([
      {
        code: 'INVALID_PARAMS',
        issues: [
          { path: '/data/1', message: 'must be a finite number (got Infinity)', keyword: 'finite' },
        ],
      },
      {
        code: 'INVALID_PARAMS',
        issues: [
          { path: '/ratio', message: 'must be a finite number (got Infinity)', keyword: 'finite' },
        ],
      },
      { code: 'INVALID_PARAMS', issues: [expect.objectContaining({ path: '/ratio' })] },
      2,
    ])
  })

  it('covers every validator a registry of the source can need, so none is compiled', () => {
    // Each action's params as JSON and as strings, its result, and the channel's payload.
    expect(generated.count).toBe(3 * 3 + 1)
    expect(Object.keys(validators)).toHaveLength(generated.count)
    const compiledHere: string[] = []
    const compiler = createSchemaCompiler(
      { validators },
      { compiled: (entry) => compiledHere.push(entry.key) },
    )
    const registry = createRegistryWith(app, { compile: 'eager' }, compiler)
    for (const action of registry.actions) {
      action.checkParams({}, 'json')
      action.checkParams({}, 'strings')
      action.checkResult(null)
    }
    expect(compiledHere).toEqual([])
  })

  it('compiles a schema the precompiled validators do not cover', () => {
    const compiledHere: string[] = []
    const compiler = createSchemaCompiler(
      { validators },
      { compiled: (entry) => compiledHere.push(entry.key) },
    )
    const check = compiler.input(Type.Object({ other: Type.Integer() }), 'json')
    expect(check({ other: 'x' })).toEqual([
      { path: '/other', message: 'must be integer', keyword: 'type' },
    ])
    expect(compiledHere).toEqual([
      'json {"type":"object","required":["other"],"properties":{"other":{"type":"integer"}}}',
    ])
  })

  it("needs Ajv's runtime helpers and ajv-formats' definitions only, never its compiler", () => {
    expect(required.length).toBeGreaterThan(0)
    for (const id of required)
      expect(id).toMatch(/^(?:ajv\/dist\/runtime\/[a-z0-9_]+|ajv-formats\/dist\/formats)$/)
  })

  it('checks the source as createRegistry does', () => {
    const bad = action(
      {
        params: Type.Object({ n: Type.Integer() }),
        examples: [{ name: 'bad', params: { n: 'x' as unknown as number } }],
      },
      () => null,
    )
    expect(() => precompileValidators({ bad })).toThrow(/bad/)
  })
})
