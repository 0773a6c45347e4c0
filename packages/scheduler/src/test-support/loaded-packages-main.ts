/**
 * Prints, as one JSON line, the npm packages among `WATCH` (comma-separated) that this process
 * loaded while it started and closed an in-process scheduler. `IMPORT_TOO` imports one more
 * package first, so a test can show that the probe sees a load when there is one.
 */
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'

const watch = (process.env['WATCH'] ?? '').split(',')
const loaded = new Set<string>()
const { port1, port2 } = new MessageChannel()
port1.on('message', (url: string) => {
  for (const name of watch) if (url.includes(`/node_modules/${name}/`)) loaded.add(name)
})
port1.unref()
// Resolve hooks run on Node's loader thread: each resolved URL is posted back here.
const hooks = `
let port
export function initialize(data) { port = data.port }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  port.postMessage(result.url)
  return result
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`, {
  data: { port: port2 },
  transferList: [port2],
})

const extra = process.env['IMPORT_TOO']
if (extra !== undefined) await import(extra)
const { startScheduler } = await import('../create-scheduler.ts')
const { invokerFor } = await import('./fixtures.ts')
const { action } = await import('@servey/core')
const ping = action({}, function ping() {
  return 'pong'
})
const scheduler = await startScheduler({ invoker: invokerFor({ ping }) })
await scheduler.close()
// The last messages from the loader thread arrive on a later turn.
await new Promise((resolve) => setTimeout(resolve, 100))
console.log(JSON.stringify([...loaded].sort()))
