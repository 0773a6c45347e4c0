import { action, createRegistry, Type, WEB_DELETE, WEB_GET, WEB_POST, WEB_PUT } from '@servey/core'
import { graphql as execute, printSchema } from 'graphql'
import { describe, expect, it } from 'vitest'
import { createRequestScope } from '../execution/request-scope.ts'
import { GRAPHQL_MUTATION, graphql } from '../trigger/graphql-trigger.ts'
import { createGraphQLSchema, printGraphQLSchema } from './create-schema.ts'

const Point = Type.Object(
  { x: Type.Number(), y: Type.Number() },
  { $id: 'Point', description: 'A point' },
)
const Color = Type.Union([Type.Literal('red'), Type.Literal('green')], { $id: 'Color' })

const mapping = {
  shapes: action(
    {
      description: 'Every shape the mapping knows',
      triggers: [WEB_GET],
      params: Type.Object({
        corner: Point,
        color: Color,
        size: Type.Optional(Type.Integer({ default: 3, description: 'Edge length' })),
        tags: Type.Array(Type.String()),
        labels: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
        since: Type.String({ format: 'date-time' }),
        meta: Type.Record(Type.String(), Type.Number()),
        big: Type.Integer({ minimum: 0, maximum: 10_000_000_000 }),
      }),
      result: Type.Object({
        child_nodes: Type.Array(
          Type.Object({ node_name: Type.String(), weight: Type.Optional(Type.Number()) }),
        ),
        center: Type.Ref('Point'),
        maybe: Type.Union([Type.String(), Type.Null()]),
        status: Type.Enum(['open', 'closed']),
        anything: Type.Unknown(),
        tuple: Type.Tuple([Type.String(), Type.Number()]),
        mixed: Type.Union([Type.String(), Type.Number()]),
        odd_values: Type.Union([Type.Literal('in-progress'), Type.Literal('done')]),
        old: Type.Optional(Type.Boolean({ deprecated: true })),
      }),
    },
    () => ({}) as never,
  ),
  titled: action(
    {
      triggers: [WEB_POST, WEB_PUT],
      deprecated: true,
      params: Type.Object({ line: Type.Object({ from: Point, to: Point }, { title: 'Line' }) }),
      result: Type.Object({ length: Type.Number() }, { title: 'Line length' }),
    },
    () => ({ length: 1 }),
  ),
  remove: action({ triggers: [WEB_DELETE] }, () => undefined),
}

describe('createGraphQLSchema', () => {
  it('maps TypeBox schemas to GraphQL types, fields and arguments', () => {
    expect(printGraphQLSchema(createRegistry(mapping))).toMatchInlineSnapshot(`
      "type Query {
        """Every shape the mapping knows"""
        shapes(
          """A point"""
          corner: PointInput!
          color: Color!

          """Edge length"""
          size: Int = 3
          tags: [String!]!
          labels: [String!]
          since: DateTime!
          meta: JSON!
          big: Float!
        ): ShapesResult!
      }

      type ShapesResult {
        childNodes: [ShapesResultChildNodes!]!
        center: Point!
        maybe: String
        status: ShapesResultStatus!
        anything: JSON
        tuple: JSON!
        mixed: JSON
        oddValues: String!
        old: Boolean @deprecated(reason: "Deprecated")
      }

      type ShapesResultChildNodes {
        nodeName: String!
        weight: Float
      }

      """A point"""
      type Point {
        x: Float!
        y: Float!
      }

      enum ShapesResultStatus {
        open
        closed
      }

      """Any JSON value; the action schema describes and validates it."""
      scalar JSON @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc8259")

      """A point"""
      input PointInput {
        x: Float!
        y: Float!
      }

      enum Color {
        red
        green
      }

      """A date and time as an RFC 3339 string, such as 2026-11-21T10:00:00Z."""
      scalar DateTime @specifiedBy(url: "https://scalars.graphql.org/chillicream/date-time.html")

      type Mutation {
        remove: JSON
        titled(line: LineInput!): TitledResult! @deprecated(reason: "Deprecated")
      }

      type TitledResult {
        length: Float!
      }

      input LineInput {
        """A point"""
        from: PointInput!

        """A point"""
        to: PointInput!
      }
      "
    `)
  })

  it('is deterministic', () => {
    expect(printGraphQLSchema(createRegistry(mapping))).toBe(
      printGraphQLSchema(createRegistry({ ...mapping })),
    )
  })

  it('makes every field of a result that is read by another name resolve to that name', async () => {
    const registry = createRegistry({
      child: action(
        {
          triggers: [WEB_GET],
          result: Type.Object({
            child_nodes: Type.Array(Type.Object({ node_name: Type.String() })),
          }),
        },
        () => ({ child_nodes: [{ node_name: 'leaf' }] }),
      ),
    })
    const { createInvoker } = await import('@servey/core')
    const result = await execute({
      schema: createGraphQLSchema(registry),
      source: '{ child { childNodes { nodeName } } }',
      contextValue: { servey: createRequestScope(createInvoker(registry)) },
    })
    expect(result).toEqual({ data: { child: { childNodes: [{ nodeName: 'leaf' }] } } })
  })

  it('puts an action with both GET and POST in Query and Mutation, and lets triggers decide', () => {
    const schema = createGraphQLSchema(
      createRegistry({
        both: action({ triggers: [WEB_GET, WEB_POST] }, () => 1),
        forced: action({ triggers: [WEB_GET, GRAPHQL_MUTATION] }, () => 1),
        excluded: action({ triggers: [WEB_GET, graphql({ exclude: true })] }, () => 1),
      }),
    )
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).toEqual(['both'])
    expect(Object.keys(schema.getMutationType()?.getFields() ?? {})).toEqual(['both', 'forced'])
  })

  it('still builds a Query type when no action is a query', () => {
    const sdl = printSchema(
      createGraphQLSchema(createRegistry({ only: action({ triggers: [WEB_POST] }, () => 1) })),
    )
    expect(sdl).toContain('_empty: Boolean')
    expect(sdl).toContain('only: JSON')
  })

  it('refuses two different types with one name, naming both sources', () => {
    const registry = createRegistry({
      say_hello: action({ triggers: [WEB_GET], result: Type.Object({ a: Type.String() }) }, () => ({
        a: '',
      })),
      other: action(
        {
          triggers: [WEB_GET],
          result: Type.Object({ b: Type.String() }, { $id: 'SayHelloResult' }),
        },
        () => ({ b: '' }),
      ),
    })
    expect(() => createGraphQLSchema(registry)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH',
        message:
          "Two different GraphQL types would be named 'SayHelloResult': the result of action other and the result of action say_hello",
      }),
    )
  })

  it('refuses a type named like a root type or a scalar', () => {
    const registry = createRegistry({
      q: action(
        { triggers: [WEB_GET], result: Type.Object({ a: Type.String() }, { $id: 'JSON' }) },
        () => ({ a: '' }),
      ),
    })
    expect(() => createGraphQLSchema(registry)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH' }),
    )
  })

  it('refuses two properties with one camelCase spelling', () => {
    const registry = createRegistry({
      q: action(
        {
          triggers: [WEB_GET],
          result: Type.Object({ child_nodes: Type.String(), childNodes: Type.String() }),
        },
        () => ({ child_nodes: '', childNodes: '' }),
      ),
    })
    expect(() => createGraphQLSchema(registry)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_GRAPHQL_FIELD_NAME_CLASH',
        message:
          "GraphQL type QResult would have two fields named 'childNodes': property 'child_nodes' and property 'childNodes'",
      }),
    )
  })

  it('refuses a nested action named like a property of its parent', () => {
    const Stats = Type.Object({ value: Type.Integer() }, { $id: 'Stats' })
    const registry = createRegistry({
      stats: action({ triggers: [WEB_GET], result: Stats }, () => ({ value: 1 })),
      value: action({ parent: Stats }, () => 1),
    })
    expect(() => createGraphQLSchema(registry)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_FIELD_NAME_CLASH' }),
    )
  })

  it('refuses a property or $id that is no GraphQL name', () => {
    const property = createRegistry({
      q: action(
        { triggers: [WEB_GET], params: Type.Object({ 'content-type': Type.String() }) },
        () => 1,
      ),
    })
    expect(() => createGraphQLSchema(property)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_GRAPHQL_NAME_INVALID',
        message: expect.stringContaining(
          "'content-type' (from property 'content-type' of field Query.q",
        ),
      }),
    )
    const id = createRegistry({
      q: action(
        { triggers: [WEB_GET], result: Type.Object({ a: Type.String() }, { $id: 'my-point' }) },
        () => ({ a: '' }),
      ),
    })
    expect(() => createGraphQLSchema(id)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_NAME_INVALID' }),
    )
  })

  it('adds nested actions to their parent type, even when no result reaches it', () => {
    const Orphan = Type.Object({ id: Type.String() }, { $id: 'Orphan' })
    const sdl = printSchema(
      createGraphQLSchema(
        createRegistry({
          q: action({ triggers: [WEB_GET] }, () => 1),
          label: action(
            {
              parent: Orphan,
              params: Type.Object({ upper_case: Type.Boolean() }),
              result: Type.String(),
            },
            () => '',
          ),
          hidden: action({ parent: Orphan, triggers: [graphql({ exclude: true })] }, () => ''),
        }),
      ),
    )
    expect(sdl).toContain('type Orphan {\n  id: String!\n  label(upperCase: Boolean!): String\n}')
    expect(sdl).not.toContain('hidden')
  })
})
