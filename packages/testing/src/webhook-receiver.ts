/**
 * @module @servey/testing/webhook-receiver: a real HTTP server on 127.0.0.1 that records the
 * requests it gets, for tests of callbacks and webhooks (verify them with
 * `verifyCallbackSignature` from `@servey/webhooks`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedCall {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface CallbackReceiver {
  readonly url: string
  readonly calls: ReceivedCall[]
  close(): Promise<void>
}

/** A local HTTP receiver that answers 500 to its first `failures` calls, then 204. */
export async function startReceiver(failures = 0): Promise<CallbackReceiver> {
  const calls: ReceivedCall[] = []
  let failed = 0
  const server: Server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      if (failed < failures) {
        failed++
        response.writeHead(500).end()
        return
      }
      calls.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
