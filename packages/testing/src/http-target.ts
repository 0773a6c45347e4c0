import { request as httpRequest } from 'node:http'

/** One plain HTTP request, sent exactly as written: no normalisation of the path or query. */
export interface HttpConformanceRequest {
  /** Upper-case method. */
  readonly method: string
  /** The path and raw query string as sent on the request line: `/actions/x?a=1&a=2`. */
  readonly target: string
  /** Header names in the case the suite wants to send them (any case). */
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes, sent unchanged. */
  readonly body?: Uint8Array
}

/** The answer: header names lower-case, repeated values joined with `, `, the body as text. */
export interface HttpConformanceResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body decoded as UTF-8; `''` when there is none. */
  readonly body: string
}

/** Header names lower-cased and repeated values joined, as the suite compares them. */
export function normalizeHeaders(
  headers: Readonly<Record<string, string | number | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : String(value)
    const key = name.toLowerCase()
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`
  }
  return out
}

/**
 * Send requests to a live server over a real socket with `node:http`, which keeps the request
 * target as written (`fetch` would resolve `/a/../b` and re-encode the query). For
 * `runHttpConformanceSuite` against a listening server: `send: sendOverHttp(url)`.
 */
export function sendOverHttp(
  baseUrl: string,
): (request: HttpConformanceRequest) => Promise<HttpConformanceResponse> {
  const base = new URL(baseUrl)
  return (request) =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          method: request.method,
          path: request.target,
          headers: {
            ...request.headers,
            ...(request.body === undefined ? {} : { 'content-length': request.body.byteLength }),
          },
          agent: false,
        },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('error', reject)
          incoming.on('end', () => {
            resolve({
              status: incoming.statusCode ?? 0,
              headers: normalizeHeaders(incoming.headers),
              body: Buffer.concat(chunks).toString('utf8'),
            })
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(request.body === undefined ? undefined : Buffer.from(request.body))
    })
}
