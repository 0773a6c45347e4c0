// The baseline of `pnpm bench channels`: a hand-written `ws` server doing the same broadcast.
// POST /publish takes the same JSON body as Servey's action, wraps it in the same envelope
// {channel, id, event}, serializes it once and sends it to every open socket on /channels/feed.
// No validation, no history, no access checks: the least a broadcast can do.
import { createServer } from 'node:http'
import { WebSocketServer, WebSocket } from 'ws'
import { announceReady } from '../lib/server-process.ts'

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end()
    return
  }
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
    const id = `${Date.now()}-${sequence++}`
    const frame = JSON.stringify({ channel: 'feed', id, event })
    for (const socket of sockets.clients) {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame)
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(id))
  })
})
let sequence = 0
const sockets = new WebSocketServer({ server, path: '/channels/feed' })

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  announceReady(`http://127.0.0.1:${address.port}`, async () => {
    for (const socket of sockets.clients) socket.terminate()
    await new Promise((resolve) => server.close(resolve))
  })
})
