import { visibilityOf, type Registry } from '@servey/core/adapter'
import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { serveyExtensionOf } from '../schema/field-extensions.ts'

/**
 * The `Cache-Control` a query may carry, from the cache policies of the actions its fields
 * call: the smallest max-age of them all, and none as soon as one field is uncacheable (no
 * policy, no max-age, `noStore`) or private (access control, or `visibility: 'private'`),
 * because one shared answer would then leak or go stale. Fields that are plain properties of
 * an object inherit from the action that returned it. Undefined for mutations.
 */
export function cacheHintOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  registry: Registry,
): number | undefined {
  if (
    document.definitions.some(
      (definition) =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'query',
    )
  ) {
    return undefined
  }
  let maxAge: number | undefined
  let cacheable = true
  const typeInfo = new TypeInfo(schema)
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const actionName = serveyExtensionOf(typeInfo.getFieldDef())?.action
        if (actionName === undefined || !cacheable) return
        const action = registry.get(actionName)
        const policy = action?.definition.cache
        if (
          action === undefined ||
          policy === undefined ||
          policy.noStore ||
          policy.maxAge === undefined ||
          visibilityOf(policy, action.definition.access) === 'private'
        ) {
          cacheable = false
          return
        }
        maxAge = maxAge === undefined ? policy.maxAge : Math.min(maxAge, policy.maxAge)
      },
    }),
  )
  return cacheable ? maxAge : undefined
}

interface RequestHint {
  maxAge: number | undefined
  cacheable: boolean
}

/**
 * Sets `Cache-Control: public, max-age=N` on answers to GET queries (POST answers are not
 * cached by HTTP caches anyway) whose every field allows it, when execution had no errors.
 * Hints are worked out once per parsed document (yoga caches parsing, so a repeated query
 * is the same document object).
 */
export function cacheHintsPlugin(registry: Registry): Plugin {
  const perDocument = new WeakMap<DocumentNode, number | undefined>()
  const perRequest = new WeakMap<Request, RequestHint>()
  const hintOf = (schema: GraphQLSchema, document: DocumentNode): number | undefined => {
    if (!perDocument.has(document))
      perDocument.set(document, cacheHintOf(schema, document, registry))
    return perDocument.get(document)
  }
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request
      if (request === undefined || request.method !== 'GET') return undefined
      const maxAge = hintOf(args.schema, args.document)
      // A batch shares one answer: every operation of it must allow caching.
      const state = perRequest.get(request) ?? { maxAge: undefined, cacheable: true }
      perRequest.set(request, state)
      if (maxAge === undefined) {
        state.cacheable = false
        return undefined
      }
      return {
        onExecuteDone({ result }) {
          const errors = (result as { errors?: readonly unknown[] }).errors
          if (errors !== undefined && errors.length > 0) state.cacheable = false
          state.maxAge = state.maxAge === undefined ? maxAge : Math.min(state.maxAge, maxAge)
        },
      }
    },
    onResponse({ request, response }) {
      const state = perRequest.get(request)
      if (state === undefined || !state.cacheable || state.maxAge === undefined) return
      if (response.status !== 200) return
      response.headers.set('cache-control', `public, max-age=${state.maxAge}`)
    },
  }
}
