import { once } from 'node:events'
import type { Server } from 'node:http'
import { announceReady } from '../../lib/server-process.ts'

/** Listens on a free port of 127.0.0.1 and tells the bench where, for a plain node:http server. */
export async function listenAndAnnounce(server: Server, port = 0): Promise<void> {
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  announceReady(
    `http://127.0.0.1:${bound}`,
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  )
}
