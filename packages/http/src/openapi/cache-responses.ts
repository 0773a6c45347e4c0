import { cacheControlOf, type RegisteredAction, type WebMethod } from '@servey/core/adapter'

type JsonObject = Record<string, unknown>

const READABLE: ReadonlySet<WebMethod> = new Set(['GET'])

/**
 * What an action's cache policy adds to its GET operation: the `Cache-Control` and `ETag`
 * headers of the 200, an `If-None-Match` parameter and the 304 for an ETag policy. Other
 * methods only ever get `Cache-Control: no-store`, documented the same way.
 */
export function documentCachePolicy(
  action: RegisteredAction,
  method: WebMethod,
  parameters: JsonObject[],
  responses: JsonObject,
): void {
  const { cache, access } = action.definition
  const cacheControl = cacheControlOf(cache, access)
  if (cache === undefined) return
  const readable = READABLE.has(method)
  const headers: JsonObject = {}
  if (cacheControl !== undefined && (readable || cache.noStore)) {
    headers['Cache-Control'] = {
      description: 'How long and by whom the answer may be reused',
      schema: { type: 'string', examples: [cacheControl] },
    }
  }
  if (cache.etag && readable) {
    headers['ETag'] = {
      description: 'A strong validator of the body; send it back in If-None-Match',
      schema: { type: 'string' },
    }
    parameters.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'ETags the client holds: a match answers 304 with no body',
      schema: { type: 'string' },
    })
    responses['304'] = {
      description: 'Not modified: the ETag in If-None-Match is still current',
      headers: { ...headers },
    }
  }
  if (Object.keys(headers).length === 0) return
  const ok = responses['200'] as JsonObject | undefined
  if (ok !== undefined) ok['headers'] = headers
}
