/**
 * Raw keep-alive connections for shutdown tests: unlike an http.Agent, nothing here retries,
 * reconnects or hides a reset, so what the server did to each connection is what is seen.
 */
import { connect, type Socket } from 'node:net'

export interface RawAnswer {
  /** The status line and headers of the first response, lower-cased names. */
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface RawConnection {
  readonly socket: Socket
  /** Write one GET (keep-alive) and read its response; rejects with the socket's error. */
  get(path: string, host: string): Promise<RawAnswer>
  /** Resolves once the server has closed the connection ('end' or 'close', never an error). */
  readonly ended: Promise<'end' | 'error'>
}

export function openConnection(port: number, host = '127.0.0.1'): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host)
    let received = ''
    let waiter: ((text: string) => void) | undefined
    let failer: ((error: Error) => void) | undefined
    // Why the connection can no longer answer, once the server ended or reset it.
    let gone: Error | undefined
    const lose = (error: Error): void => {
      gone ??= error
      failer?.(gone)
    }
    const ended = new Promise<'end' | 'error'>((settle) => {
      socket.once('end', () => settle('end'))
      socket.once('error', () => settle('error'))
      socket.once('close', () => settle('end'))
    })
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
      waiter?.(received)
    })
    socket.on('error', lose)
    socket.on('end', () =>
      lose(new Error(`connection ended; received ${JSON.stringify(received)}`)),
    )
    socket.on('close', () =>
      lose(new Error(`connection closed; received ${JSON.stringify(received)}`)),
    )
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve({
        socket,
        ended,
        get(path, hostHeader) {
          received = ''
          return new Promise((done, fail) => {
            if (gone !== undefined) {
              fail(gone)
              return
            }
            waiter = (text) => {
              const answer = parseResponse(text)
              if (answer === undefined) return
              waiter = undefined
              failer = undefined
              done(answer)
            }
            failer = fail
            socket.write(
              `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: keep-alive\r\n\r\n`,
            )
          })
        },
      })
    })
    socket.once('error', reject)
  })
}

/** The first complete response in `text` (Content-Length or chunked), else undefined. */
function parseResponse(text: string): RawAnswer | undefined {
  const split = text.indexOf('\r\n\r\n')
  if (split === -1) return undefined
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const rest = text.slice(split + 4)
  let body: string
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length'])
    if (Buffer.byteLength(rest) < length) return undefined
    body = rest
  } else if (headers['transfer-encoding'] === 'chunked') {
    if (!rest.endsWith('0\r\n\r\n')) return undefined
    body = rest
  } else {
    return undefined
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}
