type JsonObject = Record<string, unknown>

const PREFIX = '#/components/'

function collectUse(node: unknown, refs: Set<string>, schemes: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectUse(item, refs, schemes)
    return
  }
  if (typeof node !== 'object' || node === null) return
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) refs.add(value)
    else if (key === 'security' && Array.isArray(value)) {
      for (const requirement of value as JsonObject[])
        for (const name of Object.keys(requirement)) schemes.add(name)
    } else collectUse(value, refs, schemes)
  }
}

/**
 * Drops the error responses and security schemes no operation uses (linters flag them, and
 * Swagger UI would offer to authorize with a scheme nothing needs). Schemas stay: a named type
 * is kept for clients even when only another named type refers to it.
 */
export function dropUnusedComponents(document: JsonObject): void {
  const components = document['components'] as Record<string, JsonObject>
  const refs = new Set<string>()
  const schemes = new Set<string>()
  const { responses = {}, securitySchemes = {}, ...rest } = components
  collectUse({ ...document, components: rest }, refs, schemes)
  const usedResponses = Object.entries(responses).filter(([name]) =>
    refs.has(`${PREFIX}responses/${name}`),
  )
  components['responses'] = Object.fromEntries(usedResponses)
  components['securitySchemes'] = Object.fromEntries(
    Object.entries(securitySchemes).filter(([name]) => schemes.has(name)),
  )
  for (const key of ['responses', 'securitySchemes'])
    if (Object.keys(components[key] as JsonObject).length === 0) delete components[key]
}
