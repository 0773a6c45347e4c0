import { describe, expect, it } from 'vitest'
import { isGraphQLName, toFieldName, toTypeNamePart } from './names.ts'

describe('GraphQL names', () => {
  it('camel-cases snake_case properties and keeps the rest', () => {
    expect(toFieldName('child_nodes')).toBe('childNodes')
    expect(toFieldName('generated_1')).toBe('generated1')
    expect(toFieldName('childNodes')).toBe('childNodes')
    expect(toFieldName('_id')).toBe('_id')
    expect(toFieldName('HTTPCode')).toBe('HTTPCode')
  })

  it('derives type name parts in PascalCase', () => {
    expect(toTypeNamePart('say_hello')).toBe('SayHello')
    expect(toTypeNamePart('items')).toBe('Items')
  })

  it('knows what GraphQL accepts as a name', () => {
    expect(isGraphQLName('sayHello')).toBe(true)
    expect(isGraphQLName('_private')).toBe(true)
    expect(isGraphQLName('__schema')).toBe(false)
    expect(isGraphQLName('content-type')).toBe(false)
    expect(isGraphQLName('1st')).toBe(false)
  })
})
