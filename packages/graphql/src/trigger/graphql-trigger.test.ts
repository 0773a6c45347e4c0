import {
  action,
  createRegistry,
  Type,
  WEB_DELETE,
  WEB_GET,
  WEB_PATCH,
  WEB_POST,
} from '@servey/core'
import { describe, expect, it } from 'vitest'
import {
  GRAPHQL_MUTATION,
  GRAPHQL_QUERY,
  graphql,
  isGraphQLTrigger,
  rootOperationsOf,
} from './graphql-trigger.ts'

function operationsOf(triggers: Parameters<typeof action>[0]['triggers'], parent?: boolean) {
  const Parent = Type.Object({ id: Type.String() }, { $id: 'Parent' })
  const registry = createRegistry({
    subject: action({ triggers, ...(parent === true ? { parent: Parent } : {}) }, () => 1),
  })
  const registered = registry.get('subject')
  if (registered === undefined) throw new Error('not registered')
  return rootOperationsOf(registered)
}

describe('graphql triggers', () => {
  it('are plain frozen data', () => {
    expect(GRAPHQL_QUERY).toEqual({ kind: 'graphql', operation: 'query' })
    expect(GRAPHQL_MUTATION).toEqual({ kind: 'graphql', operation: 'mutation' })
    expect(graphql({ exclude: true })).toEqual({ kind: 'graphql', exclude: true })
    expect(Object.isFrozen(GRAPHQL_QUERY)).toBe(true)
    expect(isGraphQLTrigger(GRAPHQL_QUERY)).toBe(true)
    expect(isGraphQLTrigger(WEB_GET)).toBe(false)
  })

  it('come from a light entry an actions module can import', async () => {
    const light = await import('@servey/graphql/trigger')
    expect(light.GRAPHQL_QUERY).toEqual(GRAPHQL_QUERY)
    expect(light.graphql({ operation: 'mutation' })).toEqual(GRAPHQL_MUTATION)
  })

  it('refuse options that make no sense', () => {
    expect(() => graphql({ operation: 'subscription' as never })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_TRIGGER_INVALID' }),
    )
    expect(() => graphql({ exclude: true, operation: 'query' } as never)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_TRIGGER_INVALID' }),
    )
  })
})

describe('rootOperationsOf', () => {
  it('derives Query from GET and Mutation from the other web methods', () => {
    expect(operationsOf([WEB_GET])).toEqual(['query'])
    expect(operationsOf([WEB_POST])).toEqual(['mutation'])
    expect(operationsOf([WEB_DELETE, WEB_PATCH])).toEqual(['mutation'])
    expect(operationsOf([WEB_POST, WEB_GET])).toEqual(['query', 'mutation'])
    expect(operationsOf([])).toEqual([])
  })

  it('lets explicit graphql triggers replace what the web triggers say', () => {
    expect(operationsOf([GRAPHQL_QUERY])).toEqual(['query'])
    expect(operationsOf([WEB_GET, GRAPHQL_MUTATION])).toEqual(['mutation'])
    expect(operationsOf([WEB_GET, graphql({ exclude: true })])).toEqual([])
  })

  it('keeps nested actions off the root', () => {
    expect(operationsOf([WEB_GET], true)).toEqual([])
    expect(() => operationsOf([GRAPHQL_QUERY], true)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_GRAPHQL_TRIGGER_INVALID',
        message:
          'The graphql trigger of action subject is invalid: a nested action (with a parent) is a field of its parent type, never a root field',
      }),
    )
  })

  it('refuses hand-written triggers that contradict each other or name no operation', () => {
    expect(() => operationsOf([GRAPHQL_QUERY, graphql({ exclude: true })])).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_GRAPHQL_TRIGGER_INVALID' }),
    )
    expect(() => operationsOf([{ kind: 'graphql', operation: 'subscription' } as never])).toThrow(
      expect.objectContaining({
        message:
          "The graphql trigger of action subject is invalid: operation must be 'query' or 'mutation', got subscription",
      }),
    )
  })
})
