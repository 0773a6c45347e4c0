import type { Logger } from '@servey/core/adapter'
import type { DecodedQuery } from './query.ts'
import type { HttpRoute } from './route-table.ts'

/**
 * Header values by lower-case name, as Node's `IncomingMessage` and the Fetch API's `Headers`
 * give them; a repeated header may be a list. A transport whose names keep the client's
 * spelling (API Gateway's REST API) lower-cases them once when it builds the request: looking
 * a header up is then one property read, where a search in any case cost a loop over every
 * header for each header a request does not carry (most requests carry no `authorization`
 * and no `prefer`).
 */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * One HTTP request, whatever carried it (a Node socket through Fastify, an API Gateway event).
 * Nothing in it is parsed yet: the query string, headers and body are read by `@servey/http`,
 * so every transport applies the same rules.
 */
export interface HttpRequest {
  /** Upper-case method. */
  readonly method: string
  /** The path, without the query string (`/actions/say-hello`). */
  readonly path: string
  /** The raw query string without `?` (`name=World`); empty or absent when there is none. */
  readonly query?: string | undefined
  /**
   * The query as a gateway that decodes it hands it over (API Gateway's REST API), read with
   * `queryFromDecoded`; when set, `query` is ignored.
   */
  readonly decodedQuery?: DecodedQuery | undefined
  /** Header names in lower case (see `HttpHeaders`). */
  readonly headers: HttpHeaders
  /** The raw body: text, or bytes (decoded as UTF-8 when read as JSON). */
  readonly body?: string | Uint8Array | undefined
  /** Fires when the client goes away; core aborts async handlers with it. */
  readonly signal?: AbortSignal | undefined
  /** In every log line and problem body of the request. */
  readonly requestId: string
  /** The route, when the transport has matched it already (Fastify does; Lambda may not). */
  readonly route?: HttpRoute | undefined
  /** The path parameters of `route`, decoded; ignored without `route`. */
  readonly params?: Readonly<Record<string, string | undefined>> | undefined
  /** The request's logger; core's pipeline logs through it. */
  readonly log?: Logger | undefined
}

/** The answer, ready to be written by any transport. Header names are lower-case. */
export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The encoded body (JSON, problem+json or HTML); undefined for no content (204, 304). */
  readonly body: string | undefined
}

/** A header's value by its lower-case name; the first of repeated values. */
export function headerOf(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return typeof value === 'string' ? value : value?.[0]
}

/**
 * The same headers by lower-case name, for a transport that keeps the client's spelling: two
 * spellings of one name become one repeated header, in the order given.
 */
export function lowerCaseHeaders(
  headers: Readonly<Record<string, string | readonly string[]>>,
): Record<string, string | readonly string[]> {
  // No prototype: a header named `__proto__` is a header like any other, not a prototype.
  const lower = Object.create(null) as Record<string, string | readonly string[]>
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string | readonly string[]
    const key = name.toLowerCase()
    const known = lower[key]
    lower[key] =
      known === undefined
        ? value
        : [
            ...(typeof known === 'string' ? [known] : known),
            ...(typeof value === 'string' ? [value] : value),
          ]
  }
  return lower
}
