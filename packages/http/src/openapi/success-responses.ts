import type { ActionDefinition } from '@servey/core/adapter'

type JsonObject = Record<string, unknown>

/**
 * The success answers of an action's operation, as the server sends them: a result is a 200
 * with JSON; a handler that returns nothing (`undefined`) is a 204 with no content, on any
 * method. An action without a result schema may do either, so both are documented; one with
 * a schema always has a result (core checks it in dev and tests).
 */
export function successResponses(
  definition: ActionDefinition,
  resultMedia: JsonObject,
): JsonObject {
  const responses: JsonObject = {
    '200': {
      description:
        definition.result === undefined
          ? 'The action result (any JSON: the action declares no result schema)'
          : 'The action result',
      content: { 'application/json': resultMedia },
    },
  }
  if (definition.result === undefined) {
    responses['204'] = { description: 'No content: the action returned nothing' }
  }
  return responses
}
