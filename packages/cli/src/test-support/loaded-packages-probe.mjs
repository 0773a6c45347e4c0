// Loaded with `node --import` into a process under test: at exit it writes to stderr, as
// `loaded packages: [...]`, which of the npm packages named in WATCH_PACKAGES (comma-separated)
// Node resolved in this process. Resolve hooks run on Node's loader thread; each resolved URL
// is posted back here.
import { writeSync } from 'node:fs'
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'

const watch = (process.env.WATCH_PACKAGES ?? '').split(',').filter((name) => name !== '')
const loaded = new Set()
const { port1, port2 } = new MessageChannel()
port1.on('message', (url) => {
  for (const name of watch) if (url.includes(`/node_modules/${name}/`)) loaded.add(name)
})
port1.unref()
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
process.on('exit', () => {
  writeSync(2, `loaded packages: ${JSON.stringify([...loaded].sort())}\n`)
})
