type JsonObject = Record<string, unknown>

/**
 * Named types of action schemas, hoisted: every sub-schema with an `$id` is taken out once and
 * replaced by a reference to it, so a type declared once is described once, whether a
 * serializer or a document reads it. Core's registry has already refused two different
 * schemas under one `$id`.
 */
export class NamedSchemas {
  /** Hoisted named types by their `$id`. */
  readonly byId = new Map<string, JsonObject>()
  readonly #refOf: (id: string) => string

  /** `refOf` spells a reference: `Point` for a serializer, `#/components/schemas/Point` for OpenAPI. */
  constructor(refOf: (id: string) => string) {
    this.#refOf = refOf
  }

  /** A JSON-only copy of a schema (TypeBox's symbol metadata dropped), named types hoisted. */
  hoist(schema: unknown): JsonObject {
    return this.#walk(JSON.parse(JSON.stringify(schema ?? {})) as unknown) as JsonObject
  }

  #walk(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.#walk(item))
    if (typeof node !== 'object' || node === null) return node
    const object = node as JsonObject
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(object)) {
      if (key === '$id') continue
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        out[key] = this.#refOf(value)
      } else if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
        const map: JsonObject = {}
        for (const [name, child] of Object.entries(value as JsonObject)) {
          map[name] = this.#walk(child)
        }
        out[key] = map
      } else {
        out[key] = this.#walk(value)
      }
    }
    const id = object['$id']
    if (typeof id !== 'string') return out
    this.byId.set(id, out)
    return { $ref: this.#refOf(id) }
  }
}
