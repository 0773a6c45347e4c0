import { RELATIVE_SERVERS, type OpenApiServer } from './document.ts'

type JsonObject = Record<string, unknown>

/** A host as HTTP allows it (RFC 9110 §7.2): a name or IPv4, or a bracketed IPv6; a port. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

/**
 * The `servers` of a document served to one request: the configured ones when the app set
 * any, else the origin the client used (`http://localhost:8000`), so Swagger UI, Redoc and
 * code generators that load the document call the right server. A host that is not a valid
 * authority (the Host header is the client's to write) keeps the relative `/`.
 */
export function serversForRequest(
  configured: readonly OpenApiServer[] | undefined,
  request: { readonly protocol: string; readonly host: string | undefined },
): readonly OpenApiServer[] {
  if (configured !== undefined && configured.length > 0) return configured
  const { protocol, host } = request
  if (host === undefined || !HOST.test(host) || (protocol !== 'http' && protocol !== 'https'))
    return RELATIVE_SERVERS
  return [{ url: `${protocol}://${host.toLowerCase()}`, description: 'This server' }]
}

/**
 * The document's JSON text for one request's origin. The text per origin is kept (a server
 * is reached under a handful of names), bounded so that forged Host headers cannot grow it.
 */
export function createServedOpenApi(
  document: JsonObject,
  configured: readonly OpenApiServer[] | undefined,
): (request: { readonly protocol: string; readonly host: string | undefined }) => string {
  const texts = new Map<string, string>()
  return (request) => {
    const servers = serversForRequest(configured, request)
    const key = JSON.stringify(servers)
    let text = texts.get(key)
    if (text === undefined) {
      text = JSON.stringify({ ...document, servers })
      if (texts.size >= 16) texts.clear()
      texts.set(key, text)
    }
    return text
  }
}
