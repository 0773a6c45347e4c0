import { NamedSchemas, type RegisteredAction, type Registry } from '@servey/core/adapter'
import fastJson from 'fast-json-stringify'

/** JSON text of an action's result. */
export type ResultEncoder = (result: unknown) => string

/**
 * Serializers compiled from result schemas with fast-json-stringify, as Fastify compiles
 * response schemas: faster than JSON.stringify, and a field the schema does not declare is
 * dropped, never leaked, on every transport. `encoderOf` compiles once per action and keeps
 * it; named types (`$id`, `Type.Ref`) of the whole registry resolve.
 */
export function createResultEncoders(
  registry: Registry,
): (action: RegisteredAction) => ResultEncoder {
  const named = new NamedSchemas((id) => id)
  const results = new Map<RegisteredAction, Record<string, unknown>>()
  for (const action of registry.actions) {
    // Params too: a named type may be declared in one action's params and used in a result.
    named.hoist(action.definition.params)
    if (action.definition.result !== undefined) {
      results.set(action, named.hoist(action.definition.result))
    }
  }
  const externals = Object.fromEntries(
    [...named.byId].map(([id, schema]) => [id, { ...schema, $id: id }]),
  )
  const encoders = new Map<RegisteredAction, ResultEncoder>()
  return (action) => {
    let encoder = encoders.get(action)
    if (encoder === undefined) {
      const schema = results.get(action)
      encoder =
        schema === undefined
          ? (JSON.stringify as ResultEncoder)
          : (fastJson(schema as fastJson.AnySchema, {
              schema: externals as never,
            }) as ResultEncoder)
      encoders.set(action, encoder)
    }
    return encoder
  }
}
