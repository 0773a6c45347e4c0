type JsonObject = Record<string, unknown>

/**
 * Turns action schemas into OpenAPI 3.1 schemas: every sub-schema with an `$id` becomes a
 * named component (`#/components/schemas/<id>`), and TypeBox `Type.Ref('<id>')` references
 * point there too, so a named type is declared once in the document.
 */
export class ComponentSchemas {
  readonly schemas: Record<string, JsonObject> = {}

  /** A JSON-only copy (TypeBox's symbol metadata dropped) with named types hoisted. */
  toOpenApi(schema: unknown): JsonObject {
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
        out[key] = `#/components/schemas/${value}`
      } else if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
        const map: JsonObject = {}
        for (const [name, child] of Object.entries(value as JsonObject))
          map[name] = this.#walk(child)
        out[key] = map
      } else {
        out[key] = this.#walk(value)
      }
    }
    const id = object['$id']
    if (typeof id !== 'string') return out
    // Core's registry already refused two different schemas under one $id.
    const name = id.replace(/[^A-Za-z0-9._-]/g, '_')
    this.schemas[name] = out
    return { $ref: `#/components/schemas/${name}` }
  }
}
