type JsonObject = Record<string, unknown>

/** An `$id` as a component name (AsyncAPI allows `^[a-zA-Z0-9.\-_]+$`). */
export const componentName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_')

/**
 * Payload schemas as AsyncAPI schemas: every sub-schema with an `$id` is taken out once into
 * `#/components/schemas/<id>`, and `Type.Ref('<id>')` points there, so a type shared by
 * several channels is described once. (The same rule as @servey/http's OpenAPI components;
 * kept here because an adapter does not import another package's HTTP layer.)
 */
export class NamedSchemas {
  readonly byId = new Map<string, JsonObject>()

  /** A JSON-only copy (TypeBox's symbol metadata dropped), named types hoisted. */
  hoist(schema: unknown): JsonObject {
    return this.#walk(JSON.parse(JSON.stringify(schema ?? {})) as unknown) as JsonObject
  }

  get schemas(): Record<string, JsonObject> {
    return Object.fromEntries([...this.byId].map(([id, schema]) => [componentName(id), schema]))
  }

  #walk(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.#walk(item))
    if (typeof node !== 'object' || node === null) return node
    const object = node as JsonObject
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(object)) {
      if (key === '$id') continue
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        out[key] = `#/components/schemas/${componentName(value)}`
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
    return { $ref: `#/components/schemas/${componentName(id)}` }
  }
}
