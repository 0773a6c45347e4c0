import { Agent, request } from 'node:http'

/** One request as it goes on the wire: the target is sent as written (bad escapes included). */
export interface HttpCase {
  readonly trigger: 'openapi' | 'graphql'
  /** What was generated, for the report and for replaying by hand. */
  readonly label: string
  readonly method: string
  readonly target: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: Buffer | string
}

export interface HttpAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

export type HttpOutcome =
  | { readonly kind: 'answer'; readonly answer: HttpAnswer }
  | { readonly kind: 'network'; readonly error: string }
  | { readonly kind: 'unsendable'; readonly error: string }

/**
 * Node's client refuses to send some targets and header values (spaces, control characters):
 * those bytes are escaped, so the case still reaches the server as close to hostile as HTTP
 * allows. Bad percent-escapes are kept as they are.
 */
function sendableTarget(target: string): string {
  let out = ''
  for (const char of target) {
    const code = char.codePointAt(0) ?? 0
    out += code <= 0x20 || code >= 0x7f ? encodeURIComponent(char) : char
  }
  return out.startsWith('/') ? out : `/${out}`
}

/**
 * The case's headers, with Content-Length for a body. Node's client frames a body it was not
 * told the length of on every method but GET, HEAD, DELETE, OPTIONS, TRACE and CONNECT; on
 * those it sends the bytes with neither Content-Length nor Transfer-Encoding, so the server
 * rightly reads a request without a body (RFC 9112 §6.3) and the body as the next request
 * line: refused with 400 and `connection: close`, after the client had pooled the socket on
 * the keep-alive answer to the DELETE. That was the harness's 2.7 % of resets (RELIABILITY.md, "Connection resets").
 */
function framed(item: HttpCase): Record<string, string> {
  if (item.body === undefined) return { ...item.headers }
  return { ...item.headers, 'content-length': String(Buffer.byteLength(item.body)) }
}

/**
 * A HEAD the server could not parse (a request line or header block over its limit: 431, or
 * 400) is answered with a problem body and `connection: close`: the server never learnt the
 * method, since Node's parser hands it only the last chunk it read, so it cannot leave the body
 * out. Node's client reads the answer's head, then the body as bytes after the answer to a
 * HEAD (HPE_CLOSED_CONNECTION). The request was answered, and is counted as answered. The
 * server leaves the body out when it can tell the request was a HEAD
 * (`@servey/http`'s clientErrorResponse).
 */
function answeredUnparsableHead(
  item: HttpCase,
  status: number,
  error: NodeJS.ErrnoException,
): boolean {
  return (
    item.method === 'HEAD' &&
    (status === 400 || status === 431) &&
    error.code === 'HPE_CLOSED_CONNECTION'
  )
}

export function createSender(origin: URL, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const send = (item: HttpCase, timeoutMs = 30_000): Promise<HttpOutcome> =>
    new Promise((resolve) => {
      let settled = false
      const done = (outcome: HttpOutcome) => {
        if (settled) return
        settled = true
        resolve(outcome)
      }
      // The answer's head, once read: see the HEAD case in the error handler below.
      let head: { readonly status: number; readonly headers: HttpAnswer['headers'] } | undefined
      let req
      try {
        req = request(
          {
            host: origin.hostname,
            port: origin.port,
            method: item.method,
            path: sendableTarget(item.target),
            headers: framed(item),
            agent,
            timeout: timeoutMs,
          },
          (res) => {
            head = { status: res.statusCode ?? 0, headers: res.headers }
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () =>
              done({
                kind: 'answer',
                answer: {
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  body: Buffer.concat(chunks).toString('utf8'),
                },
              }),
            )
            res.on('error', (error) => done({ kind: 'network', error: error.message }))
          },
        )
      } catch (error) {
        done({ kind: 'unsendable', error: (error as Error).message })
        return
      }
      req.on('timeout', () => {
        req.destroy(new Error(`no answer within ${timeoutMs} ms`))
      })
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (head !== undefined && answeredUnparsableHead(item, head.status, error)) {
          done({ kind: 'answer', answer: { ...head, body: '' } })
          return
        }
        done({ kind: 'network', error: `${error.code ?? 'ERROR'} ${error.message}` })
      })
      if (item.body !== undefined) req.end(item.body)
      else req.end()
    })
  return { send, close: () => agent.destroy() }
}

export type Sender = ReturnType<typeof createSender>
