import { NamedSchemas } from './named-schemas.ts'

type JsonObject = Record<string, unknown>

/** An `$id` as a component name (OpenAPI and AsyncAPI both allow `^[a-zA-Z0-9._-]+$`). */
export const componentName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_')

/**
 * Schemas for a document with `#/components/schemas` (OpenAPI 3.1, AsyncAPI 3): every
 * sub-schema with an `$id` becomes a named component and `Type.Ref('<id>')` points there, so a
 * type shared by several actions or channels is described once. Lives in core because the
 * OpenAPI document (@servey/http) and the AsyncAPI document (@servey/channels) must name
 * components by one rule, and neither package may import the other.
 */
export class ComponentSchemas {
  readonly #named = new NamedSchemas((id) => `#/components/schemas/${componentName(id)}`)

  /** A JSON-only copy (TypeBox's symbol metadata dropped) with named types hoisted. */
  hoist(schema: unknown): JsonObject {
    return this.#named.hoist(schema)
  }

  get size(): number {
    return this.#named.byId.size
  }

  get schemas(): Record<string, JsonObject> {
    return Object.fromEntries(
      [...this.#named.byId].map(([id, schema]) => [componentName(id), schema]),
    )
  }
}
