import type { AsyncApiServer } from '@servey/channels'
import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import type { CliIo } from '../io.ts'
import { cliErrors } from '../errors.ts'
import { appInfoFrom } from '../server/app-info.ts'
import { writeOutput } from '../write-output.ts'

export interface AsyncApiCommandOptions {
  /** A file path, or `-` for stdout. */
  readonly output: string
  readonly entry?: string
  readonly title?: string
  readonly apiVersion?: string
  readonly description?: string
  /** Where the channels are served: `wss://api.example.org`; default none. */
  readonly server?: string
}

/** `wss://api.example.org/v1` → host `api.example.org`, secure, pathname `/v1`. */
export function asyncApiServerOf(value: string): AsyncApiServer {
  const invalid = () => cliErrors.SERVEY_ERR_CLI_ASYNCAPI_SERVER_INVALID(value)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid()
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) || url.host === '') throw invalid()
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw invalid()
  const pathname = url.pathname.replace(/\/+$/, '')
  return {
    host: url.host,
    secure: url.protocol === 'wss:' || url.protocol === 'https:',
    ...(pathname === '' ? {} : { pathname }),
  }
}

/** `servey asyncapi`: the document the server serves at /asyncapi.json, written to a file. */
export async function writeAsyncApi(options: AsyncApiCommandOptions, io: CliIo): Promise<number> {
  const server = options.server === undefined ? undefined : asyncApiServerOf(options.server)
  const { entry } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const { buildAsyncApiDocument } = await import('@servey/channels')
  const info = appInfoFrom(io.cwd)
  const document = buildAsyncApiDocument(registry, {
    ...info,
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.apiVersion === undefined ? {} : { version: options.apiVersion }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(server === undefined ? {} : { server }),
  })
  return writeOutput(options.output, `${JSON.stringify(document, null, 2)}\n`, io)
}
