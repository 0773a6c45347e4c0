import type { Registry } from '@servey/core'
import { buildAsyncApiDocument, type AsyncApiOptions } from './asyncapi-document.ts'

/** A host as HTTP allows it (RFC 9110 §7.2): a name or IPv4, or a bracketed IPv6; a port. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

export interface ServedRequest {
  readonly protocol: string
  readonly host: string | undefined
}

/**
 * The document's JSON text for one request: the configured server when the app set one, else
 * the origin the client used (`ws://localhost:8000`), so the docs page and generated clients
 * connect to the right place. A Host header that is not a valid authority (it is the
 * client's to write) gets a document without servers. Texts are kept per origin, bounded so
 * that forged Host headers cannot grow the cache.
 */
export function createServedAsyncApi(
  registry: Registry,
  options: AsyncApiOptions = {},
): (request: ServedRequest) => string {
  const texts = new Map<string, string>()
  return ({ protocol, host }) => {
    let server = options.server
    if (
      server === undefined &&
      host !== undefined &&
      HOST.test(host) &&
      (protocol === 'http' || protocol === 'https')
    ) {
      server = {
        host: host.toLowerCase(),
        secure: protocol === 'https',
        description: 'This server',
      }
    }
    const key = server === undefined ? '' : `${String(server.secure)} ${server.host}`
    let text = texts.get(key)
    if (text === undefined) {
      const document = buildAsyncApiDocument(registry, {
        ...options,
        ...(server === undefined ? {} : { server }),
      })
      text = JSON.stringify(document)
      if (texts.size >= 16) texts.clear()
      texts.set(key, text)
    }
    return text
  }
}
