import { NamedSchemas } from '../named-schemas.ts'

type JsonObject = Record<string, unknown>

/** An `$id` as a component name (OpenAPI allows `^[a-zA-Z0-9._-]+$`). */
const componentName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_')

/**
 * Action schemas as OpenAPI 3.1 schemas: every sub-schema with an `$id` becomes a named
 * component (`#/components/schemas/<id>`), and `Type.Ref('<id>')` references point there
 * too, so a named type is declared once in the document.
 */
export class ComponentSchemas {
  readonly #named = new NamedSchemas((id) => `#/components/schemas/${componentName(id)}`)

  /** A JSON-only copy (TypeBox's symbol metadata dropped) with named types hoisted. */
  toOpenApi(schema: unknown): JsonObject {
    return this.#named.hoist(schema)
  }

  get schemas(): Record<string, JsonObject> {
    return Object.fromEntries(
      [...this.#named.byId].map(([id, schema]) => [componentName(id), schema]),
    )
  }
}
