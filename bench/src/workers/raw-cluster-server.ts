// Child process: the baseline of `pnpm bench workers`. The REST suite's raw Fastify server
// (rest/raw-server.ts, its request logging on) under node:cluster with RAW_WORKERS workers, as
// `servey start --workers` runs its own: a primary that serves nothing, node's default
// scheduling. RAW_WORKERS=1 runs the server alone, as `servey start` does with one worker. What
// two of these gain over one is what node:cluster gets out of this machine with this client.
import cluster, { type Worker } from 'node:cluster'
import { once } from 'node:events'
import { announceReady } from '../lib/server-process.ts'

const workers = Number(process.env['RAW_WORKERS'] ?? '1')

if (workers <= 1 || !cluster.isPrimary) {
  await import('../rest/raw-server.ts')
} else {
  const forked: Worker[] = []
  const listening: Promise<unknown>[] = []
  for (let index = 0; index < workers; index++) {
    const worker = cluster.fork()
    forked.push(worker)
    listening.push(once(worker, 'listening'))
  }
  const [address] = (await Promise.all(listening)) as [{ port: number }][]
  const port = address?.[0].port
  if (port === undefined) throw new Error('no worker listened')
  announceReady(`http://127.0.0.1:${port}`, async () => {
    await Promise.all(
      forked.map((worker) => {
        const exited = once(worker, 'exit')
        worker.kill('SIGTERM')
        return exited
      }),
    )
  })
}
