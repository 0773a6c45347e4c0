import { describe, expect, it } from 'vitest'
import { dropUnusedComponents } from './unused-components.ts'

const ref = (path: string) => ({ $ref: `#/components/${path}` })

describe('dropUnusedComponents', () => {
  it('keeps the responses and schemes an operation uses, wherever it names them, and drops the rest', () => {
    const document = {
      paths: {
        '/a': {
          get: {
            // In an array, in nested objects, next to nulls and numbers.
            security: [{ bearerAuth: [] }],
            parameters: [null, 3, { schema: { oneOf: [ref('responses/InArray')] } }],
            responses: {
              '400': ref('responses/Used'),
              '200': { description: '#/components/responses/Text' },
            },
          },
        },
      },
      // Not operations: a `$ref` outside components, and a list that is not `security`.
      extra: {
        $ref: '#/elsewhere/responses/Outside',
        tags: [{ oauth2Password: [] }],
        odd: { $ref: 42 },
      },
      components: {
        schemas: { Kept: { type: 'string' } },
        responses: {
          Used: { description: 'used' },
          InArray: { description: 'in an array' },
          Text: { description: 'named only in a description' },
          Unused: { description: 'never' },
        },
        securitySchemes: { bearerAuth: { type: 'http' }, oauth2Password: { type: 'oauth2' } },
      },
    }
    dropUnusedComponents(document)
    expect(Object.keys(document.components.responses)).toEqual(['Used', 'InArray'])
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearerAuth'])
    expect(document.components.schemas).toEqual({ Kept: { type: 'string' } })
  })

  it('looks for uses outside the responses: one named only by responses is dropped', () => {
    const document = {
      paths: { '/a': { get: { responses: { '400': ref('responses/Outer') } } } },
      components: {
        responses: {
          Outer: { description: 'o', content: { x: { schema: ref('schemas/Problem') } } },
          Lonely: { description: 'l', links: ref('responses/Lonely') },
        },
      },
    }
    dropUnusedComponents(document)
    expect(Object.keys(document.components.responses)).toEqual(['Outer'])
  })

  it('removes the sections left empty', () => {
    const document: { paths: object; components: Record<string, unknown> } = {
      paths: {},
      components: {
        schemas: {},
        responses: { Unused: { description: 'never' } },
        securitySchemes: { bearerAuth: { type: 'http' } },
      },
    }
    dropUnusedComponents(document)
    expect(document.components).toEqual({ schemas: {} })
  })
})
