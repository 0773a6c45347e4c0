import type { Logger } from '@servey/core/adapter'
import type { DecodedQuery } from './query.ts'
import type { HttpRoute } from './route-table.ts'

/** Header values as transports hand them over: Node's lower-case record, API Gateway's any case. */
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
  /** Header names in any case. */
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

/** A header's value in any case; the first of repeated values. */
export function headerOf(headers: HttpHeaders, name: string): string | undefined {
  let value = headers[name]
  if (value === undefined) {
    // API Gateway keeps the client's spelling (`Content-Type`); Node lower-cases every name.
    for (const key in headers) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = headers[key]
        break
      }
    }
  }
  return typeof value === 'string' ? value : value?.[0]
}
