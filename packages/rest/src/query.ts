import qs from 'qs'

/**
 * Fastify's default parser (fast-querystring) handles flat queries quickly; nested objects
 * (`item[name]=x` or `item.name=x`) need qs. Only queries that use those forms pay for it.
 * qs limits depth, parameter count and array size, so a hostile query cannot blow up.
 */
const QS_OPTIONS: qs.IParseOptions = {
  allowDots: true,
  depth: 5,
  parameterLimit: 1000,
  arrayLimit: 100,
}

export function readQuery(query: unknown, url: string): Record<string, unknown> {
  const flat = (query ?? {}) as Record<string, unknown>
  for (const key in flat) {
    if (key.includes('[') || key.includes('.')) {
      const start = url.indexOf('?')
      return start === -1
        ? {}
        : (qs.parse(url.slice(start + 1), QS_OPTIONS) as Record<string, unknown>)
    }
  }
  return { ...flat }
}

/** The inverse, for clients and tests: arrays repeat the key, objects use brackets. */
export function writeQuery(params: Record<string, unknown>): string {
  return qs.stringify(params, { arrayFormat: 'repeat', encodeValuesOnly: true })
}
