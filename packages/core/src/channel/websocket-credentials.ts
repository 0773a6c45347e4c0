/** The subprotocol a browser offers to carry a bearer token: `new WebSocket(url, ['bearer', token])`. */
export const BEARER_PROTOCOL = 'bearer'

/**
 * The `Authorization` header value a websocket upgrade carries: its own header, else a bearer
 * token offered as the subprotocol after `bearer` (browsers cannot set headers).
 */
export function upgradeAuthorization(
  header: string | undefined,
  protocols: readonly string[],
): string | undefined {
  if (header !== undefined && header !== '') return header
  const at = protocols.indexOf(BEARER_PROTOCOL)
  const token = at === -1 ? undefined : protocols[at + 1]
  return token === undefined || token === '' ? undefined : `Bearer ${token}`
}

/** `Sec-WebSocket-Protocol: bearer, eyJ...` → ['bearer', 'eyJ...']. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '')
  return joined
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
