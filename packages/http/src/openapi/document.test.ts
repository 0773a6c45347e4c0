import { action, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { testActions } from '../test-actions.fixture.ts'
import { createOpenApiDocument } from './document.ts'

type Json = Record<string, any>

async function expectValid(document: Json): Promise<void> {
  const result = await new Validator().validate(document as never)
  expect(result.errors ?? []).toEqual([])
  expect(result.valid).toBe(true)
}

describe('createOpenApiDocument', () => {
  const document = createOpenApiDocument(createRegistry(testActions), {
    title: 'Test',
    version: '1.2.3',
  }) as Json

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0')
    expect(document.info).toEqual({ title: 'Test', version: '1.2.3' })
    await expectValid(document)
  })

  it('has one operation per action and method with unique operationIds', () => {
    const ids = Object.values(document.paths as Json).flatMap((item) =>
      Object.values(item as Json).map((op) => (op as Json).operationId),
    )
    expect(new Set(ids).size).toBe(ids.length)
    expect(document.paths['/actions/say-hello'].get.operationId).toBe('sayHello')
    expect(document.paths['/actions/create-order'].post.operationId).toBe('createOrderPost')
    expect(document.paths['/orders/{id}'].put.operationId).toBe('createOrderPut')
  })

  it('documents query parameters with their examples', () => {
    const operation = document.paths['/actions/say-hello'].get
    expect(operation.summary).toBe('Greet a user!')
    expect(operation.parameters).toEqual([
      {
        name: 'name',
        in: 'query',
        required: true,
        schema: { type: 'string' },
        examples: { greet_developer: { value: 'Developer' } },
      },
    ])
    expect(operation.responses['200'].content['application/json']).toEqual({
      schema: { type: 'string' },
      examples: { greet_developer: { value: 'Hello Developer!' } },
    })
  })

  it('documents bodies, path parameters and error responses', () => {
    const operation = document.paths['/orders/{id}'].put
    expect(operation.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
    ])
    const body = operation.requestBody.content['application/json'].schema
    expect(Object.keys(body.properties)).toEqual(['item', 'qty'])
    expect(body.required).toEqual(['item', 'qty'])
    expect(Object.keys(operation.responses)).toEqual(['200', '400', '413', '415', '500', '504'])
    expect(
      document.components.responses.BadRequest.content['application/problem+json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Problem' })
    expect(operation.tags).toEqual(['orders'])
  })

  it('hoists named types into components/schemas', async () => {
    const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })
    const registry = createRegistry({
      move: action(
        { triggers: [WEB_POST], params: Type.Object({ from: Point, to: Point }), result: Point },
        ({ to }) => to,
      ),
      origin: action({ triggers: [WEB_GET], result: Type.Ref('Point') }, () => ({ x: 0, y: 0 })),
    })
    const doc = createOpenApiDocument(registry) as Json
    expect(doc.components.schemas.Point).toEqual({
      type: 'object',
      required: ['x', 'y'],
      properties: { x: { type: 'number' }, y: { type: 'number' } },
    })
    expect(
      doc.paths['/actions/move'].post.requestBody.content['application/json'].schema.properties
        .from,
    ).toEqual({ $ref: '#/components/schemas/Point' })
    expect(
      doc.paths['/actions/origin'].get.responses['200'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Point' })
    await expectValid(doc)
  })

  it('relies on the registry to refuse two different schemas with the same $id', () => {
    const build = () =>
      createRegistry({
        a: action(
          { triggers: [WEB_GET], result: Type.Object({ x: Type.Number() }, { $id: 'Thing' }) },
          () => ({ x: 1 }),
        ),
        b: action(
          { triggers: [WEB_GET], result: Type.Object({ y: Type.Number() }, { $id: 'Thing' }) },
          () => ({ y: 1 }),
        ),
      })
    expect(build).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_SCHEMA_ID_CONFLICT' }))
  })

  it('is deterministic', () => {
    expect(JSON.stringify(createOpenApiDocument(createRegistry(testActions)))).toBe(
      JSON.stringify(createOpenApiDocument(createRegistry(testActions))),
    )
  })
})
